package io.jvirt.daemon;

import io.jvirt.driver.root.SecuritySettings;
import io.jvirt.driver.security.QemuAccount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate directory as QEMU's {@code tls-creds-x509} reads it ({@code ca-cert.pem}, {@code server-cert.pem},
 * {@code server-key.pem}, {@code client-cert.pem}, {@code client-key.pem}), made with GnuTLS's {@code certtool} the
 * way QEMU's and libvirt's TLS guides make them: a CA, a server certificate for {@code localhost} and
 * {@code 127.0.0.1}, and a client certificate, valid for a day. 2048-bit RSA keys (QEMU wants key encipherment in the usage, which GnuTLS leaves out for ECDSA).
 */
final class QemuTlsCerts {
    private QemuTlsCerts() {}

    /** Makes a fresh CA named {@code caName} and its server and client certificates in {@code dir}. */
    static Path make(Path dir, String caName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        key(dir, "ca-key.pem");
        template(dir, "ca.info", "cn = " + caName, "ca", "cert_signing_key");
        certtool(
                dir,
                "--generate-self-signed",
                "--load-privkey",
                "ca-key.pem",
                "--template",
                "ca.info",
                "--outfile",
                "ca-cert.pem");
        leaf(dir, "server", "cn = localhost", "dns_name = localhost", "ip_address = 127.0.0.1", "tls_www_server");
        leaf(dir, "client", "cn = jvirt-test-client", "tls_www_client");
        readableByQemu(dir);
        return dir;
    }

    /** Copies the five files QEMU reads from {@code from} into {@code to}. */
    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f :
                List.of("ca-cert.pem", "server-cert.pem", "server-key.pem", "client-cert.pem", "client-key.pem")) {
            Files.copy(from.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        readableByQemu(to);
        return to;
    }

    /**
     * QEMU reads the keys as jvirt.conf's user (jvirt-qemu): as Debian's libvirt guide has it for libvirt-qemu, the
     * keys go to that user's group, 0640.
     */
    private static void readableByQemu(Path dir) throws IOException {
        int gid = QemuAccount.resolve(SecuritySettings.DEFAULT).gid();
        for (String f : List.of("server-key.pem", "client-key.pem")) {
            Path key = dir.resolve(f);
            Files.setAttribute(key, "unix:gid", gid);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        }
    }

    private static void leaf(Path dir, String role, String... lines) throws IOException, InterruptedException {
        key(dir, role + "-key.pem");
        List<String> all = new ArrayList<>(List.of("organization = jvirt tests"));
        all.addAll(List.of(lines));
        all.add("encryption_key");
        all.add("signing_key");
        template(dir, role + ".info", all.toArray(String[]::new));
        certtool(
                dir,
                "--generate-certificate",
                "--load-privkey",
                role + "-key.pem",
                "--load-ca-certificate",
                "ca-cert.pem",
                "--load-ca-privkey",
                "ca-key.pem",
                "--template",
                role + ".info",
                "--outfile",
                role + "-cert.pem");
    }

    private static void key(Path dir, String file) throws IOException, InterruptedException {
        certtool(dir, "--generate-privkey", "--key-type", "rsa", "--bits", "2048", "--outfile", file);
    }

    private static void template(Path dir, String file, String... lines) throws IOException {
        List<String> all = new ArrayList<>(List.of(lines));
        all.add("expiration_days = 1");
        Files.write(dir.resolve(file), all, StandardCharsets.UTF_8);
    }

    private static void certtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("certtool"));
        argv.addAll(List.of(args));
        HostCommand.run(dir, argv.toArray(String[]::new));
    }
}

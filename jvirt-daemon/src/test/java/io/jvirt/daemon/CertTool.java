package io.jvirt.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GnuTLS's {@code certtool} making certificates the way libvirt's TLS guide makes them (a CA, server and client
 * certificates from small templates, a CRL), in a directory of its own. Each file name is its stem: {@code NAME.key},
 * {@code NAME.pem}.
 */
final class CertTool {
    static final Path BINARY = Path.of("/usr/bin/certtool");

    private final Path dir;

    CertTool(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    Path cert(String name) {
        return dir.resolve(name + ".pem");
    }

    /** A self-signed CA, as the guide's {@code certtool --generate-self-signed} with {@code ca, cert_signing_key}. */
    Path ca(String name, String cn) throws IOException, InterruptedException {
        privkey(name);
        run(
                "cn = " + cn + "\nca\ncert_signing_key\nexpiration_days = 30\n",
                "--generate-self-signed",
                "--load-privkey",
                key(name).toString(),
                "--outfile",
                cert(name).toString());
        return cert(name);
    }

    /** A certificate signed by CA {@code ca}, from template lines ({@code cn = …}, {@code tls_www_server}, …). */
    Path signed(String name, String ca, String template) throws IOException, InterruptedException {
        privkey(name);
        run(
                template,
                "--generate-certificate",
                "--load-privkey",
                key(name).toString(),
                "--load-ca-certificate",
                cert(ca).toString(),
                "--load-ca-privkey",
                key(ca).toString(),
                "--outfile",
                cert(name).toString());
        return cert(name);
    }

    /** A CRL by CA {@code ca} revoking {@code revoked}. */
    Path crl(String name, String ca, String revoked) throws IOException, InterruptedException {
        run(
                "crl_next_update = 30\ncrl_number = 1\n",
                "--generate-crl",
                "--load-ca-certificate",
                cert(ca).toString(),
                "--load-ca-privkey",
                key(ca).toString(),
                "--load-certificate",
                cert(revoked).toString(),
                "--outfile",
                cert(name).toString());
        return cert(name);
    }

    private void privkey(String name) throws IOException, InterruptedException {
        run(null, "--generate-privkey", "--outfile", key(name).toString());
    }

    private void run(String template, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString()));
        cmd.addAll(List.of(args));
        if (template != null) {
            Path t = Files.createTempFile(dir, "template", ".info");
            Files.writeString(t, template);
            cmd.addAll(List.of("--template", t.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "certtool " + String.join(" ", args) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}

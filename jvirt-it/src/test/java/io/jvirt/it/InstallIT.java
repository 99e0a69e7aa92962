package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/install --root DIR} into a scratch root: the files are in place, systemd-analyze verifies the unit
 * (its ExecStart pointed at the scratch copy), the installed launchers run ({@code jvirt --version},
 * {@code jvirtd --help}, a jvirtd on the installed config that reaches readiness), the config files carry every key
 * the daemon and the driver read, commented; then {@code scripts/uninstall --root DIR} removes it all but
 * /var/lib/jvirt.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InstallIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");
    /** Every key the daemon (DaemonConfigLoader, LogSettings) and the driver (jvirt.conf's loaders) read. */
    private static final List<String> DAEMON_KEYS = List.of(
            "unix_sock_dir",
            "libvirt_sockets",
            "unix_sock_rw_perms",
            "unix_sock_ro_perms",
            "listen_tcp",
            "listen_addr",
            "tcp_port",
            "listen_tls",
            "tls_port",
            "key_file",
            "cert_file",
            "ca_file",
            "crl_file",
            "tls_no_verify_certificate",
            "tls_no_sanity_certificate",
            "tls_allowed_dn_list",
            "tls_priority",
            "auth_tls",
            "keepalive_interval",
            "keepalive_count",
            "max_clients",
            "max_client_requests",
            "host_uuid",
            "migration_port_min",
            "migration_port_max",
            "migration_address",
            "migration_host",
            "metrics_listen",
            "log_level",
            "log_filters",
            "log_outputs",
            "interop_migration_v2_only");

    private static final List<String> DRIVER_KEYS = List.of(
            "host_uuid",
            "qemu_binary",
            "monitor_timeout_ms",
            "start_timeout_ms",
            "save_image_format",
            "dump_image_format",
            "user",
            "group",
            "seccomp_sandbox",
            "migration_port_min",
            "migration_port_max",
            "migration_address",
            "migration_host",
            "spice_tls_x509_cert_dir",
            "keepalive_interval",
            "keepalive_count",
            "migration_tunnel_channels",
            "default_tls_x509_cert_dir",
            "default_tls_x509_verify",
            "migrate_tls_x509_cert_dir",
            "migrate_tls_x509_verify",
            "migrate_tls_force");

    private Path root;

    @BeforeEach
    void scratchRoot() throws IOException {
        root = Files.createTempDirectory("jvirt-install-");
    }

    @AfterEach
    void removeScratchRoot() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void installVerifyRunAndUninstall() throws Exception {
        long t0 = System.nanoTime();
        Run install = run(List.of(REPO.resolve("scripts/install").toString(), "--root", root.toString()));
        assertThat(install.exit()).as(install.out()).isZero();
        System.out.printf("[it] install: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        Path bin = root.resolve("usr/local/bin");
        assertThat(root.resolve("usr/local/lib/jvirt/jvirt.jar")).hasSameBinaryContentAs(JvirtJar.JAR);
        assertThat(bin.resolve("jvirt")).isExecutable();
        assertThat(bin.resolve("jvirtd")).isExecutable();
        assertThat(root.resolve("var/lib/jvirt")).isDirectory();
        assertThat(Files.readSymbolicLink(root.resolve("var/lib/jvirt/etc/jvirt.conf")))
                .isEqualTo(Path.of("/etc/jvirt/jvirt.conf"));
        String daemonConf = Files.readString(root.resolve("etc/jvirt/jvirtd.conf"));
        String driverConf = Files.readString(root.resolve("etc/jvirt/jvirt.conf"));
        DAEMON_KEYS.forEach(k -> assertThat(daemonConf).containsPattern("(?m)^#" + k + " = "));
        DRIVER_KEYS.forEach(k -> assertThat(driverConf).containsPattern("(?m)^#" + k + " = "));
        assertThat(daemonConf.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
                .as("every key commented")
                .isEmpty();

        Path unit = root.resolve("etc/systemd/system/jvirtd.service");
        String text = Files.readString(unit);
        assertThat(text)
                .contains("ExecStart=/usr/local/bin/jvirtd --config /etc/jvirt/jvirtd.conf", "KillMode=process");
        Path units = Files.createDirectories(root.resolve("verify"));
        Files.writeString(
                units.resolve("jvirtd.service"), text.replace("ExecStart=/usr/local/bin/", "ExecStart=" + bin + "/"));
        List<String> verify = new ArrayList<>(List.of(ANALYZE.toString(), "verify", "--man=no"));
        verify.add(units.resolve("jvirtd.service").toString());
        for (String socket : List.of("jvirtd.socket", "jvirtd-ro.socket")) {
            Path installed = root.resolve("etc/systemd/system").resolve(socket);
            assertThat(installed).exists();
            Files.copy(installed, units.resolve(socket));
            verify.add(units.resolve(socket).toString());
        }
        Run verified = run(verify);
        assertThat(verified.exit()).as(verified.out()).isZero();
        assertThat(verified.out()).doesNotContain("jvirtd");

        Run version = run(List.of(bin.resolve("jvirt").toString(), "--version"));
        assertThat(version.exit()).as(version.out()).isZero();
        assertThat(version.out().strip()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        Run help = run(List.of(bin.resolve("jvirtd").toString(), "--help"));
        assertThat(help.exit()).as(help.out()).isZero();
        assertThat(help.out()).contains("Usage: jvirt daemon", "--config=FILE");

        // The installed jvirtd on the installed config (its sockets and root moved into the scratch root).
        Path conf = root.resolve("etc/jvirt/jvirtd.conf");
        Files.writeString(conf, daemonConf + "unix_sock_dir = \"" + root.resolve("run/jvirt") + "\"\n");
        ProcessBuilder jvirtd = new ProcessBuilder(
                        bin.resolve("jvirtd").toString(),
                        "--root",
                        root.resolve("var/lib/jvirt").toString(),
                        "--config",
                        conf.toString())
                .redirectError(root.resolve("jvirtd.err").toFile());
        jvirtd.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process daemon = jvirtd.start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine())
                    .as(Files.readString(root.resolve("jvirtd.err")))
                    .isEqualTo("jvirtd ready");
            assertThat(root.resolve("run/jvirt/jvirt-sock")).exists();
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Files.writeString(conf, daemonConf); // as installed, so that uninstall sees it unchanged

        Run uninstall = run(List.of(REPO.resolve("scripts/uninstall").toString(), "--root", root.toString()));
        assertThat(uninstall.exit()).as(uninstall.out()).isZero();
        assertThat(bin.resolve("jvirt")).doesNotExist();
        assertThat(bin.resolve("jvirtd")).doesNotExist();
        assertThat(root.resolve("usr/local/lib/jvirt")).doesNotExist();
        assertThat(unit).doesNotExist();
        assertThat(root.resolve("etc/systemd/system/jvirtd.socket")).doesNotExist();
        assertThat(root.resolve("etc/systemd/system/jvirtd-ro.socket")).doesNotExist();
        assertThat(root.resolve("etc/jvirt")).doesNotExist();
        assertThat(root.resolve("var/lib/jvirt")).as("guests' data stays").isDirectory();
    }

    private record Run(int exit, String out) {}

    /** Runs a command with this JVM's JDK as JAVA_HOME, stdout and stderr together. */
    private Run run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        pb.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home"), "LC_ALL", "C"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        return new Run(p.exitValue(), out);
    }
}

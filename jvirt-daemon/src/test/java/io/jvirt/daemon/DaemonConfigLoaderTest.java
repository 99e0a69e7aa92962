package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.tls.PkiFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void withoutArgumentsTheSystemPathsAndLibvirtDefaults() {
        DaemonConfig c = DaemonConfigLoader.fromArgs(new String[0]);
        assertThat(c.root()).isEqualTo(Path.of("/var/lib/jvirt"));
        assertThat(c.rwSocket()).isEqualTo(Path.of("/run/jvirt/jvirt-sock"));
        assertThat(c.roSocket()).isEqualTo(Path.of("/run/jvirt/jvirt-sock-ro"));
        assertThat(c.rwPerms()).isEqualTo(0700);
        assertThat(c.roPerms()).isEqualTo(0777);
        assertThat(c.tcp()).isEmpty();
        assertThat(c.keepaliveInterval()).isEqualTo(5);
        assertThat(c.keepaliveCount()).isEqualTo(5);
        assertThat(c.maxClientRequests()).isEqualTo(5);
        assertThat(c.driverSettings()).isEmpty();
    }

    @Test
    void theMigrationV2OnlySwitchIsOffUnlessTheFileTurnsItOn() throws IOException {
        assertThat(DaemonConfigLoader.fromArgs(new String[0]).migrationV2Only()).isFalse();
        Path conf = tmp.resolve("v2only.conf");
        Files.writeString(conf, "interop_migration_v2_only = 1\nkeepalive_count = 4\n");
        DaemonConfig c = DaemonConfigLoader.fromArgs(new String[] {"--config", conf.toString()});
        assertThat(c.migrationV2Only()).isTrue();
        assertThat(c.withKeepalive(1, 2).migrationV2Only())
                .as("kept by the other with* methods")
                .isTrue();
        assertThat(c.keepaliveCount()).isEqualTo(4);
    }

    @Test
    void rootPutsTheSocketsUnderItsRunDirectory() {
        DaemonConfig c = DaemonConfigLoader.fromArgs(new String[] {"--root", tmp.toString()});
        assertThat(c.rwSocket()).isEqualTo(tmp.resolve("run/jvirt-sock"));
        assertThat(c.roSocket()).isEqualTo(tmp.resolve("run/jvirt-sock-ro"));
    }

    @Test
    void libvirtSocketsTakeLibvirtdsNamesAndDirectory() throws IOException {
        Path conf = tmp.resolve("as-libvirtd.conf");
        Files.writeString(conf, "libvirt_sockets = 1\n");
        DaemonConfig c =
                DaemonConfigLoader.fromArgs(new String[] {"--root", tmp.toString(), "--config", conf.toString()});
        assertThat(c.rwSocket()).isEqualTo(Path.of("/run/libvirt/libvirt-sock"));
        assertThat(c.roSocket()).isEqualTo(Path.of("/run/libvirt/libvirt-sock-ro"));
        assertThat(c.root()).isEqualTo(tmp);
        Files.writeString(conf, "libvirt_sockets = 1\nunix_sock_dir = \"%s/s\"\n".formatted(tmp));
        c = DaemonConfigLoader.fromArgs(new String[] {"--config", conf.toString()});
        assertThat(c.rwSocket()).isEqualTo(tmp.resolve("s/libvirt-sock"));
        assertThat(c.roSocket()).isEqualTo(tmp.resolve("s/libvirt-sock-ro"));
    }

    @Test
    void readsALibvirtdConfShapedFile() throws IOException {
        Path conf = tmp.resolve("jvirtd.conf");
        Files.writeString(conf, """
                # jvirtd test config
                listen_tcp = 1
                listen_addr = "127.0.0.1"
                tcp_port = "16600"
                unix_sock_dir = "%s/sock"
                unix_sock_rw_perms = "0770"
                unix_sock_ro_perms = "0755"
                keepalive_interval = 2
                keepalive_count = 3
                max_clients = 10
                max_client_requests = 2
                host_uuid = "8f9c0000-0000-4000-8000-000000000001"
                migration_port_min = 50000
                migration_address = "127.0.0.1"
                log_level = 1   # not ours: ignored
                """.formatted(tmp));
        DaemonConfig c =
                DaemonConfigLoader.fromArgs(new String[] {"--root", tmp.toString(), "--config", conf.toString()});
        assertThat(c.rwSocket()).isEqualTo(tmp.resolve("sock/jvirt-sock"));
        assertThat(c.rwPerms()).isEqualTo(0770);
        assertThat(c.roPerms()).isEqualTo(0755);
        assertThat(c.tcp()).contains(new DaemonConfig.TcpListen("127.0.0.1", 16600));
        assertThat(c.keepaliveInterval()).isEqualTo(2);
        assertThat(c.keepaliveCount()).isEqualTo(3);
        assertThat(c.maxClients()).isEqualTo(10);
        assertThat(c.maxClientRequests()).isEqualTo(2);
        assertThat(c.driverSettings())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "host_uuid", "\"8f9c0000-0000-4000-8000-000000000001\"",
                        "migration_port_min", "50000",
                        "migration_address", "\"127.0.0.1\""));
    }

    @Test
    void readsLibvirtdsTlsKeys() throws IOException {
        Path conf = tmp.resolve("jvirtd.conf");
        Files.writeString(conf, """
                listen_tls = 1
                listen_addr = "127.0.0.1"
                tls_port = "16600"
                ca_file = "/pki/ca.pem"
                crl_file = "/pki/crl.pem"
                cert_file = "/pki/server.pem"
                key_file = "/pki/server.key"
                tls_no_verify_certificate = 1
                tls_allowed_dn_list = ["C=GB,ST=London,CN=*", "C=UK,CN=libvirt"]
                tls_priority = "NORMAL:-VERS-TLS1.3"
                """);
        DaemonConfig c =
                DaemonConfigLoader.fromArgs(new String[] {"--root", tmp.toString(), "--config", conf.toString()});
        DaemonConfig.TlsListen tls = c.tls().orElseThrow();
        assertThat(tls.address()).isEqualTo("127.0.0.1");
        assertThat(tls.port()).isEqualTo(16600);
        assertThat(tls.settings().files())
                .isEqualTo(new PkiFiles(
                        Path.of("/pki/ca.pem"),
                        Path.of("/pki/crl.pem"),
                        Path.of("/pki/server.pem"),
                        Path.of("/pki/server.key")));
        assertThat(tls.settings().requireValidPeer()).isFalse();
        assertThat(tls.settings().sanityCheck()).isTrue();
        assertThat(tls.settings().allowedDns()).contains(List.of("C=GB,ST=London,CN=*", "C=UK,CN=libvirt"));
        assertThat(tls.settings().priority().protocols()).containsExactly("TLSv1.2");
        assertThat(c.tcp()).isEmpty();
    }

    @Test
    void tlsIsOffByDefaultAndABadPriorityIsAnError() throws IOException {
        assertThat(DaemonConfigLoader.fromArgs(new String[] {"--root", tmp.toString()})
                        .tls())
                .isEmpty();
        Path conf = tmp.resolve("jvirtd.conf");
        Files.writeString(conf, "listen_tls = 1\ntls_priority = \"SECURE256\"\n");
        assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(
                        new String[] {"--root", tmp.toString(), "--config", conf.toString()}))
                .hasMessageContaining("Failed to set TLS session priority to SECURE256");
        Files.writeString(conf, "listen_tls = 1\nauth_tls = \"sasl\"\n");
        assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(
                        new String[] {"--root", tmp.toString(), "--config", conf.toString()}))
                .hasMessageContaining("auth_tls = 'sasl' is not supported");
    }

    @Test
    void listenOptionTurnsTcpOnAndWinsOverTheFile() throws IOException {
        Path conf = tmp.resolve("jvirtd.conf");
        Files.writeString(conf, "listen_tcp = 0\ntcp_port = 1\n");
        DaemonConfig c = DaemonConfigLoader.fromArgs(
                new String[] {"--config", conf.toString(), "--listen", "tcp://127.0.0.1:0"});
        assertThat(c.tcp()).contains(new DaemonConfig.TcpListen("127.0.0.1", 0));
        assertThat(DaemonConfigLoader.parseListen("tcp://[::1]:16509"))
                .isEqualTo(new DaemonConfig.TcpListen("::1", 16509));
    }

    @Test
    void mistakesAreNamed() throws IOException {
        assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(new String[] {"--listen", "16509"}))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("tcp://ADDR:PORT");
        assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(new String[] {"--bogus"}))
                .hasMessageContaining("unknown option '--bogus'");
        assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(new String[] {"--root"}))
                .hasMessageContaining("--root needs a value");
        assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(
                        new String[] {"--config", tmp.resolve("none").toString()}))
                .satisfies(e -> assertThat(((VirtException) e).code()).isEqualTo(ErrorCode.OPEN_FAILED));
        Path bad = tmp.resolve("bad.conf");
        Files.writeString(bad, "unix_sock_rw_perms = \"rwx\"\n");
        assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(new String[] {"--config", bad.toString()}))
                .hasMessageContaining("unix_sock_rw_perms");
    }

    @Test
    void numbersOutOfTheirRangeAreNamed() throws IOException {
        Path bad = tmp.resolve("bad.conf");
        for (String line : List.of(
                "max_clients = 0",
                "max_client_requests = -3",
                "keepalive_count = -1",
                "keepalive_interval = 4294967301",
                "listen_tcp = 1\ntcp_port = 70000",
                "listen_tls = 1\ntls_port = -1")) {
            Files.writeString(bad, line + "\n");
            String key = line.substring(line.lastIndexOf('\n') + 1, line.indexOf(' ', line.lastIndexOf('\n') + 1));
            assertThatThrownBy(() -> DaemonConfigLoader.fromArgs(new String[] {"--config", bad.toString()}))
                    .as(line)
                    .isInstanceOfSatisfying(VirtException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONF_SYNTAX);
                        assertThat(e.getMessage()).contains("setting '" + key + "' must be between");
                    });
        }
    }

    @Test
    void driverSettingsMergeIntoTheRootsJvirtConf() throws IOException {
        Path file = RootSettings.file(tmp);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# mine\nqemu_binary = \"/usr/bin/qemu-system-x86_64\"\nmigration_port_min = 1\n");
        RootSettings.merge(tmp, Map.of("migration_port_min", "50000", "host_uuid", "\"abc\""));
        assertThat(Files.readAllLines(file))
                .containsExactly(
                        "# mine",
                        "qemu_binary = \"/usr/bin/qemu-system-x86_64\"",
                        "migration_port_min = 50000",
                        "host_uuid = \"abc\"");
        assertThat(RootSettings.merged(List.of(), Map.of())).isEmpty();
    }
}

package io.jvirt.driver.migration;

import static io.jvirt.driver.migration.StandInDriver.cap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobInfo;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.cookie.CookieNbd;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.testing.FakeQmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source of a migration with QEMU's own TLS (VIR_MIGRATE_TLS) against a scripted QEMU: the client credentials
 * object added before the parameters name it, {@code tls-hostname} as libvirt sets it, the object removed again
 * when the migration fails, the storage's NBD client over TLS, and the refusals that come before QEMU is touched
 * (a missing certificate, {@code migrate_tls_force}, TLS in the tunnel, a unix URI without {@code tls.destination}).
 */
class TlsMigrationSourceTest {
    private static final String URI = "tcp:dst.example.org:49152";
    private static final long FLAGS = MigrateFlags.LIVE | MigrateFlags.TLS;
    private static final String DISK = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            + "<source file='/images/g1.qcow2'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>";

    @TempDir
    Path dir;

    private final UUID uuid = UUID.randomUUID();
    private StandInDriver guest;
    private FakeQmp qmp;
    private Connection conn;
    private MigrationPhases phases;
    private DomainRef ref;
    private Path certs;

    /** A guest on a host whose jvirt.conf says {@code conf} and whose certificate directory holds {@code files}. */
    private void open(String conf, String... files) throws Exception {
        certs = Files.createDirectories(dir.resolve("pki"));
        for (String f : files) {
            Files.writeString(certs.resolve(f), "-----BEGIN CERTIFICATE-----\n");
        }
        Path etc = Files.createDirectories(dir.resolve("root/etc"));
        Files.writeString(etc.resolve("jvirt.conf"), "migrate_tls_x509_cert_dir = \"" + certs + "\"\n" + conf);
        guest = StandInDriver.open(dir, uuid, DISK, monitor -> {
            monitor.expect("query-migrate-capabilities")
                    .reply(List.of(cap("events"), cap("pause-before-switchover"), cap("return-path"), cap("multifd")))
                    .repeatedly();
            monitor.expect("query-migrate-parameters")
                    .reply(Map.of("max-bandwidth", 134_217_728, "tls-creds", "", "tls-hostname", ""))
                    .repeatedly();
            monitor.expect("object-del")
                    .replyError("GenericError", "object 'objlibvirt_migrate_tls0' not found")
                    .repeatedly();
            monitor.expect("migrate_cancel")
                    .thenEmit("MIGRATION", Map.of("status", "cancelled"))
                    .repeatedly();
        });
        qmp = guest.qmp();
        conn = guest.conn();
        phases = MigrationPhases.of(conn);
        ref = guest.ref();
    }

    private void openWithCertificates() throws Exception {
        open("", MigrationTls.CA_CERT, MigrationTls.CLIENT_CERT, MigrationTls.CLIENT_KEY);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (guest != null) {
            guest.close();
        }
    }

    /** The destination's Prepare cookie. */
    private String destinationCookie() {
        return MigrationCookieXml.format(MigrationCookie.of("g1", uuid, "dst.example.org", UUID.randomUUID()));
    }

    private static List<TypedParam> uri(String uri) {
        return List.of(TypedParam.string(MigrateParams.URI, uri));
    }

    private Map<String, Object> argumentsOf(String command) throws InterruptedException {
        return qmp.awaitCommand(command, Duration.ofSeconds(5)).arguments();
    }

    @Test
    void theClientObjectComesBeforeTheParametersThatNameIt() throws Exception {
        openWithCertificates();
        qmp.expect("migrate").thenEmit("MIGRATION", Map.of("status", "completed"));

        phases.migratePerform3(ref, null, uri(URI), destinationCookie(), FLAGS);

        assertThat(qmp.commandNames())
                .containsSubsequence(
                        "query-migrate-parameters",
                        "object-del",
                        "object-add",
                        "migrate-set-capabilities",
                        "migrate-set-parameters",
                        "migrate");
        assertThat(argumentsOf("object-add"))
                .isEqualTo(Map.of(
                        "qom-type", "tls-creds-x509",
                        "id", "objlibvirt_migrate_tls0",
                        "dir", certs.toString(),
                        "endpoint", "client",
                        "verify-peer", true));
        assertThat(argumentsOf("migrate-set-parameters"))
                .containsEntry("tls-creds", "objlibvirt_migrate_tls0")
                .containsEntry("tls-hostname", "dst.example.org");
        phases.migrateConfirm3(ref, List.of(), null, FLAGS, false);
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.SHUTOFF_MIGRATED);
    }

    @Test
    void multifdLeavesTheHostNameToQemuAndTlsDestinationOverridesIt() throws Exception {
        openWithCertificates();
        qmp.expect("migrate").thenEmit("MIGRATION", Map.of("status", "completed"));

        phases.migratePerform3(ref, null, uri(URI), destinationCookie(), FLAGS | MigrateFlags.PARALLEL);
        assertThat(argumentsOf("migrate-set-parameters"))
                .containsEntry("tls-creds", "objlibvirt_migrate_tls0")
                .containsEntry("tls-hostname", "");
        phases.migrateConfirm3(ref, List.of(), null, FLAGS | MigrateFlags.PARALLEL, true);

        assertThat(MigrationTls.sourceHostname(
                        MigrationOptions.parse(
                                List.of(TypedParam.string(MigrateParams.TLS_DESTINATION, "cert-name.example.org")),
                                FLAGS | MigrateFlags.PARALLEL,
                                MigrationOptions.Side.SOURCE),
                        URI))
                .isEqualTo("cert-name.example.org");
    }

    @Test
    void aFailedMigrationResetsTheParametersAndRemovesTheObject() throws Exception {
        openWithCertificates();
        qmp.expect("migrate")
                .thenEmit("MIGRATION", Map.of("status", "setup"))
                .thenEmit("MIGRATION", Map.of("status", "failed"));
        qmp.expect("query-migrate")
                .reply(Map.of("status", "failed", "error-desc", "Certificate does not match the hostname"))
                .repeatedly();

        assertThatThrownBy(() -> phases.migratePerform3(ref, null, uri(URI), destinationCookie(), FLAGS))
                .isInstanceOf(VirtException.class);

        List<String> names = qmp.commandNames();
        assertThat(names.subList(names.lastIndexOf("migrate"), names.size()))
                .containsSubsequence("migrate-set-capabilities", "migrate-set-parameters", "object-del");
        assertThat(qmp.commands().getLast().arguments()).isEqualTo(Map.of("id", "objlibvirt_migrate_tls0"));
        assertThat(qmp.commands().stream()
                        .filter(c -> c.name().equals("migrate-set-parameters"))
                        .toList()
                        .getLast()
                        .arguments())
                .containsEntry("tls-creds", "")
                .containsEntry("tls-hostname", "");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobInfo(ref)).isEqualTo(JobInfo.NONE);
    }

    @Test
    void aMissingCaCertificateIsRefusedBeforeQemuIsTouched() throws Exception {
        open("", MigrationTls.CLIENT_CERT, MigrationTls.CLIENT_KEY);

        assertThatThrownBy(() -> phases.migrateBegin3(ref, List.of(), FLAGS))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage())
                            .endsWith("unable to execute QEMU command 'object-add': Unable to access credentials "
                                    + certs.resolve("ca-cert.pem") + ": No such file or directory");
                });
        assertThatThrownBy(() -> phases.migratePerform3(ref, null, uri(URI), destinationCookie(), FLAGS))
                .isInstanceOf(VirtException.class);

        assertThat(qmp.commandNames()).doesNotContain("object-add", "migrate-set-parameters", "migrate");
        assertThat(conn.state(ref).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
    }

    @Test
    void aClientCertificateWithoutItsKeyIsRefused() throws Exception {
        open("", MigrationTls.CA_CERT, MigrationTls.CLIENT_CERT);

        assertThatThrownBy(() -> phases.migrateBegin3(ref, List.of(), FLAGS))
                .isInstanceOfSatisfying(
                        VirtException.class,
                        e -> assertThat(e.getMessage())
                                .endsWith("Cert '" + certs.resolve("client-cert.pem") + "' without corresponding key"));
    }

    @Test
    void forcedTlsRefusesAPlainMigration() throws Exception {
        open("migrate_tls_force = 1\n", MigrationTls.CA_CERT);

        assertThatThrownBy(() -> phases.migrateBegin3(ref, List.of(), MigrateFlags.LIVE))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID);
                    assertThat(e.getMessage())
                            .endsWith("this libvirtd instance allows migration only with VIR_MIGRATE_TLS flag");
                });
        assertThat(phases.migrateBegin3(ref, List.of(), FLAGS).cookie()).isNotEmpty();
    }

    @Test
    void tlsInsideTheTunnelIsRefused() throws Exception {
        openWithCertificates();

        assertThatThrownBy(() ->
                        phases.migrateBegin3(ref, List.of(), FLAGS | MigrateFlags.PEER2PEER | MigrateFlags.TUNNELLED))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ARGUMENT_UNSUPPORTED);
                    assertThat(e.getMessage()).endsWith("TLS migration is not supported by tunnelled migration");
                });
    }

    @Test
    void aUnixUriNeedsAnExplicitHostName() throws Exception {
        openWithCertificates();

        assertThatThrownBy(() -> phases.migratePerform3(
                        ref, null, uri("unix:/run/dst/migrate.sock"), destinationCookie(), FLAGS))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED);
                    assertThat(e.getMessage())
                            .endsWith("Explicit destination hostname is required for TLS migration over UNIX socket");
                });
        assertThat(qmp.commandNames()).doesNotContain("object-add", "migrate");
    }

    @Test
    void theStorageNbdClientSpeaksTlsToo() throws Exception {
        openWithCertificates();
        qmp.expect("query-block")
                .reply(List.of(Map.of(
                        "device", "drive-virtio-disk0",
                        "qdev", "/machine/peripheral/virtio-disk0/virtio-backend",
                        "inserted",
                                Map.of(
                                        "node-name", "#block123",
                                        "file", "/images/g1.qcow2",
                                        "drv", "qcow2",
                                        "ro", false,
                                        "image", Map.of("virtual-size", 67_108_864, "format", "qcow2")))))
                .repeatedly();
        Map<String, Object> job = Map.of(
                "device", "drive-virtio-disk0", "type", "mirror", "len", 67_108_864, "offset", 67_108_864, "speed", 0);
        qmp.expect("blockdev-mirror").thenEmit("BLOCK_JOB_READY", job);
        qmp.expect("migrate").thenEmit("MIGRATION", Map.of("status", "pre-switchover"));
        qmp.expect("block-job-cancel").thenEmit("BLOCK_JOB_COMPLETED", job);
        qmp.expect("migrate-continue").thenEmit("MIGRATION", Map.of("status", "completed"));
        String cookie = MigrationCookieXml.format(MigrationCookie.of("g1", uuid, "dst.example.org", UUID.randomUUID())
                .withNbd(new CookieNbd(49160, List.of(new CookieNbd.Disk("vda", 67_108_864)))));
        long flags = FLAGS | MigrateFlags.NON_SHARED_DISK;

        phases.migratePerform3(ref, null, uri(URI), cookie, flags);

        assertThat(qmp.commandNames()).containsSubsequence("object-add", "blockdev-add", "blockdev-mirror", "migrate");
        assertThat(argumentsOf("blockdev-add"))
                .containsEntry("driver", "nbd")
                .containsEntry("server", Map.of("type", "inet", "host", "dst.example.org", "port", "49160"))
                .containsEntry("tls-creds", "objlibvirt_migrate_tls0")
                .containsEntry("tls-hostname", "dst.example.org");
        phases.migrateConfirm3(ref, List.of(), null, flags, false);
    }
}

package io.jvirt.driver.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.Monitors;
import io.jvirt.qmp.NbdAddress;
import io.jvirt.testing.FakeQmp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The destination's NBD server against a scripted QEMU: which disks are exported, under which names, and how the
 * disk's node is found for {@code -drive} and {@code -blockdev} disks alike.
 */
class NbdExportsTest {
    private static final String XML = "<domain type='qemu'><name>g1</name><memory unit='KiB'>65536</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
            + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/b/vda.qcow2'/>"
            + "<target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/b/sda.img'/>"
            + "<target dev='sda' bus='sata'/><alias name='sata0-0-0'/></disk>"
            + "<disk type='file' device='disk'><source file='/shared/ro.img'/><target dev='vdb' bus='virtio'/>"
            + "<readonly/><alias name='virtio-disk1'/></disk>"
            + "<disk type='file' device='disk'><source file='/shared/cluster.img'/><target dev='vdc' bus='virtio'/>"
            + "<shareable/><alias name='virtio-disk2'/></disk>"
            + "</devices></domain>";

    private FakeQmp qmp;
    private Monitor monitor;
    private DomainDef def;

    @BeforeEach
    void connect() throws Exception {
        qmp = FakeQmp.start();
        qmp.expect("query-block")
                .reply(List.of(
                        Map.of(
                                "device", "drive-virtio-disk0",
                                "qdev", "/machine/peripheral/virtio-disk0/virtio-backend",
                                "inserted", Map.of("node-name", "#block145", "ro", false)),
                        // -blockdev: no backend name, the node named by the command line
                        Map.of(
                                "device", "",
                                "qdev", "sata0-0-0",
                                "inserted", Map.of("node-name", "libvirt-2-format", "ro", false))))
                .repeatedly();
        monitor = Monitors.connect(qmp.socketPath(), "g1", MonitorListener.ignoring(), Duration.ofSeconds(5));
        def = DomainXml.parse(XML);
    }

    @AfterEach
    void close() {
        monitor.close();
        qmp.close();
    }

    /** As libvirt: by default neither read-only nor shareable disks; a shareable one when migrate_disks names it. */
    @Test
    void writableDisksAreCopiedByDefaultAndMigrateDisksChooses() {
        assertThat(CopiedDisks.of(def, List.of()))
                .extracting(DiskDef::targetDev)
                .containsExactly("vda", "sda");
        assertThat(CopiedDisks.of(def, List.of("sda")))
                .extracting(DiskDef::targetDev)
                .containsExactly("sda");
        assertThat(CopiedDisks.of(def, List.of("vdc", "vda")))
                .extracting(DiskDef::targetDev)
                .containsExactly("vda", "vdc");
    }

    @Test
    void serverAndOneWritableExportPerDiskNamedAsLibvirtNamesThem() throws Exception {
        NbdExports.start(monitor, "g1", CopiedDisks.of(def, List.of()), NbdAddress.tcp("127.0.0.1", 49153));

        assertThat(qmp.awaitCommand("nbd-server-start", Duration.ofSeconds(5)).arguments())
                .isEqualTo(
                        Map.of("addr", Map.of("type", "inet", "data", Map.of("host", "127.0.0.1", "port", "49153"))));
        assertThat(qmp.commands().stream()
                        .filter(c -> c.name().equals("block-export-add"))
                        .map(c -> c.arguments())
                        .toList())
                .containsExactly(
                        Map.of(
                                "type", "nbd",
                                "id", "libvirt-nbd-drive-virtio-disk0",
                                "node-name", "#block145",
                                "writable", true,
                                "name", "drive-virtio-disk0"),
                        Map.of(
                                "type", "nbd",
                                "id", "libvirt-nbd-libvirt-2-format",
                                "node-name", "libvirt-2-format",
                                "writable", true,
                                "name", "drive-sata0-0-0"));

        NbdExports.stop(monitor, "g1");
        assertThat(qmp.commandNames()).endsWith("nbd-server-stop");
    }

    @Test
    void withTlsTheServerNamesTheCredentialsObject() throws Exception {
        NbdExports.start(
                monitor,
                "g1",
                CopiedDisks.of(def, List.of("vda")),
                NbdAddress.tcp("127.0.0.1", 49153),
                "objlibvirt_migrate_tls0");

        assertThat(qmp.awaitCommand("nbd-server-start", Duration.ofSeconds(5)).arguments())
                .isEqualTo(Map.of(
                        "addr",
                        Map.of("type", "inet", "data", Map.of("host", "127.0.0.1", "port", "49153")),
                        "tls-creds",
                        "objlibvirt_migrate_tls0"));
    }

    @Test
    void aUnixSocketServerAndARefusedReadOnlyDisk() throws Exception {
        NbdExports.start(monitor, "g1", CopiedDisks.of(def, List.of("vda")), NbdAddress.unix("/run/nbd.sock"));
        assertThat(qmp.awaitCommand("nbd-server-start", Duration.ofSeconds(5)).arguments())
                .isEqualTo(Map.of("addr", Map.of("type", "unix", "data", Map.of("path", "/run/nbd.sock"))));

        assertThatThrownBy(() -> NbdExports.start(
                        monitor, "g1", CopiedDisks.of(def, List.of("vdb")), NbdAddress.tcp("127.0.0.1", 1)))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED);
                    assertThat(e.getMessage()).endsWith("Cannot migrate empty or read-only disk vdb");
                });
    }

    @Test
    void qemusRefusalOfTheServerIsReported() {
        qmp.expect("nbd-server-start").replyError("GenericError", "Failed to bind socket: Address already in use");
        assertThatThrownBy(() -> NbdExports.start(
                        monitor, "g1", CopiedDisks.of(def, List.of()), NbdAddress.tcp("127.0.0.1", 49153)))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage()).contains("Address already in use");
                });
        assertThat(qmp.commandNames()).doesNotContain("block-export-add");
    }
}

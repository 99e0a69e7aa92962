package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.qmp.JsonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The disks' node graphs and devices, one property at a time; the whole argv is in {@code argv/disks.args}. */
class DiskCommandLineTest {
    private static DomainDef live(String os, String devices) {
        return LiveDefinition.prepare(
                DomainXml.parse("<domain type='qemu'><name>d</name><memory>1024</memory><os><type machine='pc'>hvm"
                        + "</type>" + os + "</os><devices>" + devices + "</devices></domain>"),
                1,
                new DisplayPorts());
    }

    private static DiskDef disk(String xml) {
        return live("", xml).disks().getFirst();
    }

    private static List<String> argv(DomainDef def) {
        List<String> argv = new ArrayList<>();
        DiskCommandLine.add(def, argv);
        return argv;
    }

    @Test
    void chainNodesComeDeepestFirstAndLinkByName() {
        DiskDef d = disk("<disk type='file'><driver name='qemu' type='qcow2'/><source file='/t.qcow2'/>"
                + "<backingStore type='file'><format type='qcow2'/><source file='/b.qcow2'/><backingStore/>"
                + "</backingStore><target dev='vdc'/></disk>");

        List<Map<String, Object>> nodes = DiskBlockdevs.nodes(d);

        assertThat(nodes)
                .extracting(n -> n.get("node-name"))
                .containsExactly(
                        "virtio-disk2-1-storage",
                        "virtio-disk2-1-format",
                        "virtio-disk2-0-storage",
                        "virtio-disk2-0-format");
        assertThat(JsonText.write(nodes.get(1)))
                .isEqualTo("{\"node-name\":\"virtio-disk2-1-format\",\"read-only\":true,\"driver\":\"qcow2\","
                        + "\"file\":\"virtio-disk2-1-storage\",\"backing\":null}");
        assertThat(nodes.get(3))
                .containsEntry("backing", "virtio-disk2-1-format")
                .containsEntry("read-only", false);
        assertThat(DiskBlockdevs.topNodeName(d)).isEqualTo("virtio-disk2-0-format");
        assertThat(DiskBlockdevs.nodeNames(d))
                .containsExactly(
                        "virtio-disk2-0-format",
                        "virtio-disk2-0-storage",
                        "virtio-disk2-1-format",
                        "virtio-disk2-1-storage");
    }

    @Test
    void unknownChainLeavesBackingOut() {
        DiskDef d = disk("<disk type='file'><driver name='qemu' type='qcow2'/><source file='/t.qcow2'/>"
                + "<target dev='vda'/></disk>");

        assertThat(DiskBlockdevs.nodes(d).getLast()).doesNotContainKey("backing");
    }

    @Test
    void emptyCdromHasNoNodesAndNoDrive() {
        DiskDef d = disk("<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>");

        assertThat(DiskBlockdevs.nodes(d)).isEmpty();
        assertThat(JsonText.write(DiskDeviceProps.disk(d, "pc", null)))
                .isEqualTo("{\"driver\":\"ide-cd\",\"bus\":\"ide.1\",\"unit\":0,\"id\":\"ide0-1-0\"}");
    }

    @Test
    void blockCdromUsesHostCdrom() {
        DiskDef d = disk(
                "<disk type='block' device='cdrom'><source dev='/dev/sr0'/><target dev='sda' bus='sata'/>" + "</disk>");

        assertThat(DiskBlockdevs.nodes(d).getFirst()).containsEntry("driver", "host_cdrom");
    }

    @Test
    void nodeNamesStayWithinQemusLimit() {
        String alias = "ua-a-rather-long-user-alias-for-a-disk";
        assertThat(BlockNodeNames.format(alias, 12))
                .hasSizeLessThanOrEqualTo(BlockNodeNames.MAX_LENGTH)
                .startsWith("disk-")
                .endsWith("-12-format")
                .isEqualTo(BlockNodeNames.format(alias, 12));
        assertThat(BlockNodeNames.storage("scsi12-0-0-6", 3)).isEqualTo("scsi12-0-0-6-3-storage");
    }

    @Test
    void osBootDevicesBecomeBootIndexes() {
        DomainDef def = live(
                "<boot dev='cdrom'/><boot dev='hd'/>",
                "<disk type='file'><source file='/a'/><target dev='vda'/></disk>"
                        + "<disk type='file'><source file='/b'/><target dev='vdb'/></disk>"
                        + "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>");

        assertThat(DiskCommandLine.bootIndexes(def)).isEqualTo(Map.of("virtio-disk0", 2, "ide0-1-0", 1));
    }

    @Test
    void scsiControllerComesBeforeTheDisks() {
        List<String> argv = argv(live("", "<disk type='file'><source file='/a'/><target dev='sdb'/></disk>"));

        assertThat(argv.subList(0, 2)).containsExactly("-device", "{\"driver\":\"virtio-scsi-pci\",\"id\":\"scsi0\"}");
        assertThat(argv.getLast())
                .isEqualTo("{\"driver\":\"scsi-hd\",\"bus\":\"scsi0.0\",\"channel\":0,\"scsi-id\":0,\"lun\":1,"
                        + "\"device_id\":\"drive-scsi0-0-0-1\",\"drive\":\"scsi0-0-0-1-0-storage\","
                        + "\"id\":\"scsi0-0-0-1\"}");
    }

    @Test
    void readonlySataHardDiskIsRefusedAsLibvirtRefusesIt() {
        DomainDef def =
                live("", "<disk type='file'><source file='/a'/><target dev='sda' bus='sata'/><readonly/></disk>");

        assertThatThrownBy(() -> argv(def))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNSUPPORTED))
                .hasMessage("unsupported configuration: readonly sata disks are not supported");
    }

    @Test
    void sharedQcow2IsRefusedAsLibvirtRefusesIt() {
        DomainDef def = live(
                "",
                "<disk type='file'><driver name='qemu' type='qcow2'/><source file='/a'/><target dev='vda'/>"
                        + "<shareable/></disk>");

        assertThatThrownBy(() -> argv(def))
                .isInstanceOf(VirtException.class)
                .hasMessage("unsupported configuration: shared access for disk 'vda' requires use of supported"
                        + " storage format");
    }
}

package io.jvirt.driver.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.ControllerDef;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceXml;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.process.PciAddresses;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.wire.QmpMonitor;
import io.jvirt.testing.FakeQmp;
import io.jvirt.testing.ReceivedCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hot-plugged disks get the command line's node graph and device, and a failure leaves no node behind. */
class LiveDiskPlugTest {
    private static final DomainDef LIVE = DomainXml.parse("""
            <domain type='qemu'>
              <name>g1</name>
              <memory unit='MiB'>128</memory>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/img/a.raw'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/>
                </disk>
              </devices>
            </domain>
            """);

    private static final String CHAIN = """
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' cache='none'/>
              <source file='/img/top.qcow2'/>
              <backingStore type='file'>
                <format type='qcow2'/><source file='/img/base.qcow2'/><backingStore/>
              </backingStore>
              <target dev='vdc' bus='virtio'/>
              <alias name='virtio-disk2'/>
            </disk>""";

    private static List<ReceivedCommand> plug(FakeQmp qmp, DomainDef live, DiskDef disk, List<DeviceDef> out)
            throws Exception {
        try (Monitor monitor =
                QmpMonitor.connect(qmp.socketPath(), "g1", MonitorListener.ignoring(), Duration.ofSeconds(5))) {
            out.addAll(LiveDiskPlug.attach("g1", monitor, live, disk));
        }
        return qmp.commands().stream()
                .filter(c -> !c.name().equals("qmp_capabilities"))
                .toList();
    }

    @Test
    void aQcow2ChainIsPluggedDeepestImageFirstThenTheDevice() throws Exception {
        List<DeviceDef> added = new java.util.ArrayList<>();
        try (FakeQmp qmp = FakeQmp.start()) {
            List<ReceivedCommand> sent = plug(qmp, LIVE, (DiskDef) DeviceXml.parse(CHAIN), added);
            assertThat(sent)
                    .extracting(c -> c.name() + " " + c.arguments().getOrDefault("node-name", ""))
                    .containsExactly(
                            "blockdev-add virtio-disk2-1-storage",
                            "blockdev-add virtio-disk2-1-format",
                            "blockdev-add virtio-disk2-0-storage",
                            "blockdev-add virtio-disk2-0-format",
                            "device_add ");
            assertThat(sent.get(3).arguments())
                    .containsEntry("backing", "virtio-disk2-1-format")
                    .containsEntry("cache", Map.of("direct", true, "no-flush", false));
            assertThat(sent.get(4).arguments())
                    .containsEntry("driver", "virtio-blk-pci")
                    .containsEntry("drive", "virtio-disk2-0-format")
                    .containsEntry("id", "virtio-disk2")
                    .containsEntry("write-cache", "on");
        }
        assertThat(added).hasSize(1);
    }

    @Test
    void aRefusedDeviceRemovesEveryNodeItAddedTopFirst() throws Exception {
        try (FakeQmp qmp = FakeQmp.start()) {
            qmp.expect("device_add").replyError("GenericError", "Bus 'pci.0' does not support hotplugging");
            assertThatThrownBy(() -> plug(qmp, LIVE, (DiskDef) DeviceXml.parse(CHAIN), new java.util.ArrayList<>()))
                    .isInstanceOfSatisfying(
                            VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                    .hasMessage("internal error: unable to execute QEMU command 'device_add': "
                            + "Bus 'pci.0' does not support hotplugging");
            assertThat(qmp.commands().stream()
                            .filter(c -> c.name().equals("blockdev-del"))
                            .map(c -> c.arguments().get("node-name")))
                    .containsExactly(
                            "virtio-disk2-0-format",
                            "virtio-disk2-0-storage",
                            "virtio-disk2-1-format",
                            "virtio-disk2-1-storage");
        }
    }

    @Test
    void aScsiDiskWithoutItsControllerHotPlugsTheControllerFirst() throws Exception {
        DiskDef sda = (DiskDef) DeviceXml.parse("""
                <disk type='file'><source file='/img/s.raw'/><target dev='sda' bus='scsi'/>
                <alias name='scsi0-0-0-0'/></disk>""");
        List<DeviceDef> added = new java.util.ArrayList<>();
        try (FakeQmp qmp = FakeQmp.start()) {
            List<ReceivedCommand> sent = plug(qmp, LIVE, sda, added);
            assertThat(sent)
                    .extracting(ReceivedCommand::name)
                    .containsExactly("device_add", "blockdev-add", "device_add");
            assertThat(sent.get(0).arguments())
                    .containsEntry("driver", "virtio-scsi-pci")
                    .containsEntry("id", "scsi0");
            assertThat(sent.get(2).arguments())
                    .containsEntry("driver", "scsi-hd")
                    .containsEntry("bus", "scsi0.0")
                    .containsEntry("drive", "scsi0-0-0-0-0-storage");
        }
        assertThat(added).hasSize(2).first().isInstanceOf(ControllerDef.class);
    }

    @Test
    void aNewCdromAndASataDiskAreRefusedAsLibvirtRefusesThem() {
        DiskDef cdrom = (DiskDef) DeviceXml.parse("""
                <disk type='file' device='cdrom'><target dev='sdc' bus='scsi'/><alias name='x'/></disk>""");
        assertThatThrownBy(() -> LiveDiskPlug.attach("g1", null, LIVE, cdrom))
                .hasMessage("internal error: No device with bus 'scsi' and target 'sdc'. cdrom and floppy device"
                        + " hotplug isn't supported by libvirt");
        DiskDef sata = (DiskDef) DeviceXml.parse("""
                <disk type='file'><source file='/img/s.raw'/><target dev='sdb' bus='sata'/><alias name='x'/></disk>""");
        assertThatThrownBy(() -> LiveDiskPlug.attach("g1", null, LIVE, sata))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED))
                .hasMessage("Operation not supported: disk bus 'sata' cannot be hotplugged.");
    }

    @Test
    void pciSlotsComeFromQueryPciAndGoBackAsBusAndAddr() throws Exception {
        try (FakeQmp qmp = FakeQmp.start()) {
            qmp.expect("query-pci")
                    .reply(List.of(Map.of(
                            "bus",
                            0,
                            "devices",
                            List.of(
                                    Map.of("qdev_id", "", "slot", 1, "function", 0),
                                    Map.of("qdev_id", "virtio-disk0", "slot", 4, "function", 0)))));
            try (Monitor monitor =
                    QmpMonitor.connect(qmp.socketPath(), "g1", MonitorListener.ignoring(), Duration.ofSeconds(5))) {
                DomainDef filled = PciAddresses.fill(LIVE, monitor);
                assertThat(DomainXml.format(filled))
                        .contains("<address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>");
                assertThat(PciAddresses.props(filled.disks().getFirst().info(), "pc"))
                        .containsExactly(Map.entry("bus", "pci.0"), Map.entry("addr", "0x4"));
                assertThat(PciAddresses.props(filled.disks().getFirst().info(), "pc-q35-10.0"))
                        .containsEntry("bus", "pcie.0");
            }
        }
    }
}

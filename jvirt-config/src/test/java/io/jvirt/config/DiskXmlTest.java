package io.jvirt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.util.EnumSet;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Disks: what the parser models, the controllers and addresses it adds, detected chains, and libvirt's errors. */
class DiskXmlTest {
    private static String domain(String os, String devices) {
        return "<domain type='qemu'><name>d</name><memory>1024</memory><os><type>hvm</type>" + os + "</os><devices>"
                + devices + "</devices></domain>";
    }

    private static DomainDef parse(String devices) {
        return DomainXml.parse(domain("", devices));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> parsing(String devices, ErrorCode code) {
        return assertThatThrownBy(() -> parse(devices))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void modelsEverySetting() {
        DiskDef d = parse("""
                        <disk type='block' device='disk'>
                          <driver name='qemu' type='qcow2' cache='none' io='io_uring' discard='ignore' detect_zeroes='on'/>
                          <source dev='/dev/loop7'/>
                          <backingStore type='file'><format type='raw'/><source file='/b.raw'/><backingStore/></backingStore>
                          <target dev='sdc' bus='scsi'/>
                          <readonly/><shareable/><serial>S1</serial><boot order='3'/>
                        </disk>""").disks().getFirst();

        assertThat(d.source()).isEqualTo(new DiskSource(DiskType.BLOCK, "/dev/loop7"));
        assertThat(d.driver())
                .isEqualTo(new DiskDriver(
                        "qemu",
                        DiskFormat.QCOW2,
                        DiskCache.NONE,
                        DiskIo.IO_URING,
                        DiskDiscard.IGNORE,
                        DiskDetectZeroes.ON));
        assertThat(d.backingImages())
                .containsExactly(new BackingStore(
                        new DiskSource(DiskType.FILE, "/b.raw"), DiskFormat.RAW, 0, BackingStore.end(false), false));
        assertThat(BackingStore.isComplete(d.backingStore())).isTrue();
        assertThat(d.readonly()).isTrue();
        assertThat(d.shareable()).isTrue();
        assertThat(d.serial()).isEqualTo("S1");
        assertThat(d.bootOrder()).isEqualTo(3);
        assertThat(DriveAddress.of(d.info())).isEqualTo(new DriveAddress(0, 0, 0, 2));
    }

    @Test
    void aScsiDiskGetsAVirtioScsiControllerAfterTheDisks() {
        DomainDef def = parse("<disk type='file'><source file='/a'/><target dev='sdq' bus='scsi'/></disk>"
                + "<memballoon model='none'/>");

        assertThat(def.devices().get(1))
                .isEqualTo(new ControllerDef(2, "virtio-scsi", DeviceInfo.NONE, UnknownXml.NONE));
        assertThat(DriveAddress.of(def.disks().getFirst().info())).isEqualTo(new DriveAddress(2, 0, 0, 2));
        assertThat(def.devices().get(2)).isInstanceOf(MemballoonDef.class);
    }

    @Test
    void aDeclaredControllerIsUsedAndGetsTheDefaultModel() {
        DomainDef def = parse("<disk type='file'><source file='/a'/><target dev='sda' bus='scsi'/></disk>"
                + "<controller type='scsi' index='0'><alias name='ua-scsi'/></controller>");

        assertThat(def.devicesOf(ControllerDef.class))
                .containsExactly(new ControllerDef(0, "virtio-scsi", new DeviceInfo("ua-scsi", null), UnknownXml.NONE));
    }

    @ParameterizedTest
    @CsvSource({"sata,sdh,1,0,0,1", "ide,hdd,0,1,0,1", "ide,hde,1,0,0,0", "scsi,sdaa,3,0,0,5"})
    void addressesFollowTheTargetName(String bus, String dev, int controller, int b, int target, int unit) {
        DiskDef d = parse("<disk type='file'><source file='/a'/><target dev='" + dev + "' bus='" + bus + "'/></disk>")
                .disks()
                .getFirst();

        assertThat(DriveAddress.of(d.info())).isEqualTo(new DriveAddress(controller, b, target, unit));
    }

    @Test
    void cdromIsAlwaysReadOnlyAndMayBeEmpty() {
        DiskDef d = parse("<disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>")
                .disks()
                .getFirst();

        assertThat(d.readonly()).isTrue();
        assertThat(d.source().isEmpty()).isTrue();
    }

    @Test
    void detectedChainShowsOnlyInLiveXmlWithItsIndexes() {
        DomainDef def = parse("<disk type='file'><driver name='qemu' type='qcow2'/><source file='/top.qcow2'/>"
                + "<target dev='vda'/></disk>");
        BackingStore chain = new BackingStore(
                new DiskSource(DiskType.FILE, "/base.qcow2"), DiskFormat.QCOW2, 1, BackingStore.end(true), true);
        DomainDef live =
                def.withId(3).withDevices(List.of(def.disks().getFirst().withBackingStore(chain)));

        String liveXml = DomainXml.format(live);
        String inactiveXml = DomainXml.format(live, EnumSet.of(FormatFlag.INACTIVE));
        String migratableXml = DomainXml.format(live, EnumSet.of(FormatFlag.MIGRATABLE));

        assertThat(liveXml).contains("""
                              <source file='/top.qcow2'/>
                              <backingStore type='file' index='1'>
                                <format type='qcow2'/>
                                <source file='/base.qcow2'/>
                                <backingStore/>
                              </backingStore>
                              <target dev='vda' bus='virtio'/>
                        """);
        assertThat(inactiveXml).doesNotContain("backingStore");
        assertThat(migratableXml).doesNotContain("backingStore");
    }

    @Test
    void userChainKeepsItsPlaceInInactiveXmlWithoutIndexes() {
        DomainDef def = parse("<disk type='file'><driver name='qemu' type='qcow2'/><source file='/top.qcow2'/>"
                + "<backingStore type='file' index='4'><format type='qcow2'/><source file='/b.qcow2'/></backingStore>"
                + "<target dev='vda'/></disk>");

        String inactive = DomainXml.format(def, EnumSet.of(FormatFlag.INACTIVE));

        assertThat(inactive).contains("<backingStore type='file'>").doesNotContain("index=");
        assertThat(BackingStore.isComplete(def.disks().getFirst().backingStore()))
                .isFalse();
    }

    @Test
    void diskNamesCountLikeLibvirt() {
        assertThat(DiskNames.index("vda")).isZero();
        assertThat(DiskNames.index("sdz")).isEqualTo(25);
        assertThat(DiskNames.index("sdaa")).isEqualTo(26);
        assertThat(DiskNames.index("hdab")).isEqualTo(27);
        assertThat(DiskNames.index("xvdb")).isEqualTo(1);
        assertThat(DiskNames.index("sda1")).isEqualTo(-1);
        assertThat(DiskNames.index("nvme0")).isEqualTo(-1);
    }

    @Test
    void lunIsRefusedClearly() {
        parsing(
                        "<disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sda' bus='scsi'/></disk>",
                        ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("disk device 'lun'")
                .hasMessageContaining("disk[1]");
    }

    @Test
    void networkDiskIsUnsupported() {
        parsing("<disk type='network'><source protocol='nbd'/><target dev='vda'/></disk>", ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("disk type 'network'");
    }

    @ParameterizedTest
    @CsvSource({"cache,sometimes", "io,fast", "discard,always", "detect_zeroes,maybe"})
    void badDriverValuesAreLibvirtsXmlError(String attr, String value) {
        parsing(
                        "<disk type='file'><driver name='qemu' " + attr + "='" + value + "'/><source file='/a'/>"
                                + "<target dev='vda'/></disk>",
                        ErrorCode.XML_ERROR)
                .hasMessage(
                        "XML error: Invalid value for attribute '" + attr + "' in element 'driver': '" + value + "'.");
    }

    @Test
    void unknownTypeIsLibvirtsXmlError() {
        parsing("<disk type='tape'><source file='/a'/><target dev='vda'/></disk>", ErrorCode.XML_ERROR)
                .hasMessage("XML error: Invalid value for attribute 'type' in element 'disk': 'tape'.");
    }

    @Test
    void unknownFormat() {
        parsing(
                        "<disk type='file'><driver name='qemu' type='qcow9'/><source file='/a'/><target dev='vda'/></disk>",
                        ErrorCode.XML_ERROR)
                .hasMessage("XML error: unknown driver format value 'qcow9'");
        parsing(
                        "<disk type='file'><driver name='qemu' type='vmdk'/><source file='/a'/><target dev='vda'/></disk>",
                        ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("'vmdk'");
    }

    @Test
    void backingStoreNeedsFormatAndSource() {
        parsing(
                        "<disk type='file'><source file='/a'/><backingStore type='file'><source file='/b'/></backingStore>"
                                + "<target dev='vda'/></disk>",
                        ErrorCode.XML_ERROR)
                .hasMessage("XML error: missing disk backing store format");
        parsing(
                        "<disk type='file'><source file='/a'/><backingStore type='file'><format type='raw'/></backingStore>"
                                + "<target dev='vda'/></disk>",
                        ErrorCode.XML_ERROR)
                .hasMessage("XML error: missing disk backing store source");
    }

    @Test
    void badBootOrder() {
        parsing("<disk type='file'><source file='/a'/><target dev='vda'/><boot order='0'/></disk>", ErrorCode.XML_ERROR)
                .hasMessage("XML error: Invalid value for attribute 'order' in element 'boot': '0'.");
    }

    @Test
    void duplicateBootOrder() {
        parsing(
                        "<disk type='file'><source file='/a'/><target dev='vda'/><boot order='1'/></disk>"
                                + "<disk type='file'><source file='/b'/><target dev='vdb'/><boot order='1'/></disk>",
                        ErrorCode.XML_ERROR)
                .hasMessage("XML error: boot order '1' used for more than one device");
    }

    @Test
    void perDeviceBootCannotMixWithOsBoot() {
        assertThatThrownBy(() -> DomainXml.parse(domain(
                        "<boot dev='hd'/>",
                        "<disk type='file'><source file='/a'/><target dev='vda'/><boot order='1'/></disk>")))
                .isInstanceOf(VirtException.class)
                .hasMessage("XML error: per-device boot elements cannot be used together with os/boot elements");
    }

    @Test
    void duplicateTarget() {
        parsing(
                        "<disk type='file'><source file='/a'/><target dev='vda'/></disk>"
                                + "<disk type='file'><source file='/b'/><target dev='vda'/></disk>",
                        ErrorCode.XML_ERROR)
                .hasMessage("XML error: target 'vda' duplicated for disk sources '/a' and '/b'");
    }

    @Test
    void unknownTargetNameWithoutAddress() {
        parsing("<disk type='file'><source file='/a'/><target dev='disk0' bus='sata'/></disk>", ErrorCode.XML_ERROR)
                .hasMessage("XML error: Unknown disk name 'disk0' and no address specified");
    }

    @Test
    void blockDiskWithoutDevNamesTheAttribute() {
        parsing("<disk type='block'><source file='/a'/><target dev='vda'/></disk>", ErrorCode.XML_ERROR)
                .hasMessageContaining("<source dev='...'/>");
    }
}

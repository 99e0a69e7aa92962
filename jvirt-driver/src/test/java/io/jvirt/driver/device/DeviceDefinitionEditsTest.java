package io.jvirt.driver.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceXml;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.process.LiveDefinition;
import org.junit.jupiter.api.Test;

/** The persistent-definition side of attach and detach, with libvirt's errors. */
class DeviceDefinitionEditsTest {
    private static final DomainDef G1 = DomainXml.parse("""
            <domain type='qemu'>
              <name>g1</name>
              <memory unit='MiB'>128</memory>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/>
                </disk>
                <serial type='pty'><target port='0'/></serial>
              </devices>
            </domain>
            """);

    private static DeviceDef disk(String dev) {
        return DeviceXml.parse("<disk type='file'><source file='/img/" + dev + ".raw'/><target dev='" + dev
                + "' bus='virtio'/><alias name='virtio-disk7'/></disk>");
    }

    private static DeviceDef nic(String mac) {
        return DeviceXml.parse("<interface type='user'><mac address='" + mac + "'/></interface>");
    }

    @Test
    void aConfigDiskGoesAfterTheDisksWithoutItsLiveAlias() {
        DomainDef def = DeviceAttach.configWith(G1, disk("vdb"));
        assertThat(def.disks()).extracting(DiskDef::targetDev).containsExactly("vda", "vdb");
        assertThat(def.devices().get(1)).isInstanceOf(DiskDef.class);
        assertThat(def.disks().get(1).alias()).isNull();
    }

    @Test
    void aTargetTakenIsRefusedAsLibvirtDoes() {
        assertThatThrownBy(() -> DeviceAttach.configWith(G1, disk("vda")))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID))
                .hasMessage("Requested operation is not valid: target vda already exists");
    }

    @Test
    void anInterfaceGoesBeforeTheSerialPort() {
        DomainDef def = DeviceAttach.configWith(G1, nic("52:54:00:00:00:01"));
        assertThat(def.devices().get(1)).isInstanceOf(InterfaceDef.class);
    }

    @Test
    void otherDevicesAreNotAttachedToTheConfig() {
        assertThatThrownBy(() -> DeviceAttach.configWith(G1, DeviceXml.parse("<rng model='virtio'/>")))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED))
                .hasMessage("Operation not supported: persistent attach of device 'rng' is not supported");
    }

    @Test
    void detachNamesTheMissingTarget() {
        assertThatThrownBy(() -> DeviceDetach.configMatch(G1, disk("vdz")))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEVICE_MISSING))
                .hasMessage("device not found: no target device vdz");
        assertThatThrownBy(() -> DeviceDetach.liveMatch(G1, disk("vdz")))
                .hasMessage("device not found: disk vdz not found");
        assertThat(DeviceDetach.configMatch(G1, disk("vda")))
                .isSameAs(G1.disks().getFirst());
    }

    @Test
    void anInterfaceIsFoundByMacAndTwoWithOneMacAreAmbiguous() {
        DomainDef one = DeviceAttach.configWith(G1, nic("52:54:00:00:00:01"));
        assertThat(DeviceDetach.configMatch(one, nic("52:54:00:00:00:01"))).isInstanceOf(InterfaceDef.class);
        assertThatThrownBy(() -> DeviceDetach.configMatch(one, nic("52:54:00:00:00:02")))
                .hasMessage("device not found: no device matching MAC address 52:54:00:00:00:02 found");
        DomainDef two = DeviceAttach.configWith(one, nic("52:54:00:00:00:01"));
        assertThatThrownBy(() -> DeviceDetach.configMatch(two, nic("52:54:00:00:00:01")))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                .hasMessage("operation failed: multiple devices matching MAC address 52:54:00:00:00:01 found");
    }

    @Test
    void aliasesFollowLibvirtsNaming() {
        assertThat(LiveDefinition.diskAlias((DiskDef) DeviceXml.parse(
                        "<disk type='file'><source file='/img/c.raw'/><target dev='vdc' bus='virtio'/></disk>")))
                .isEqualTo("virtio-disk2");
        DomainDef live = DeviceAttach.configWith(G1, nic("52:54:00:00:00:01"));
        assertThat(LiveDevicePlug.nextNetAlias(live)).isEqualTo("net0");
    }

    @Test
    void aScsiDiskBringsItsControllerIntoTheDefinition() {
        DomainDef def = DeviceAttach.configWith(G1, DeviceXml.parse("""
                <disk type='file'><source file='/img/s.raw'/><target dev='sdh' bus='scsi'/></disk>"""));
        // sdh is unit 7: past the 7 units of controller 0, so on controller 1, as libvirt counts.
        assertThat(DomainXml.format(def))
                .contains("<address type='drive' controller='1' bus='0' target='0' unit='0'/>")
                .contains("<controller type='scsi' index='1' model='virtio-scsi'");
    }
}

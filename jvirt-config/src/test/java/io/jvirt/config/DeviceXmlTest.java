package io.jvirt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import org.junit.jupiter.api.Test;

class DeviceXmlTest {

    @Test
    void aDiskAloneParsesAsInsideADomain() {
        DeviceDef d = DeviceXml.parse("""
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='/tmp/x.qcow2'/>
                  <target dev='vdb' bus='virtio'/>
                </disk>
                """);
        assertThat(d).isInstanceOf(DiskDef.class);
        DiskDef disk = (DiskDef) d;
        assertThat(disk.targetDev()).isEqualTo("vdb");
        assertThat(disk.sourceFile()).isEqualTo("/tmp/x.qcow2");
        assertThat(disk.format()).isEqualTo(DiskFormat.QCOW2);
        assertThat(DeviceXml.kind(d)).isEqualTo("disk");
    }

    @Test
    void anInterfaceWithoutMacGetsOne() {
        DeviceDef d = DeviceXml.parse("<interface type='user'><model type='virtio'/></interface>");
        assertThat(d).isInstanceOf(InterfaceDef.class);
        assertThat(((InterfaceDef) d).mac()).startsWith("52:54:00:");
        assertThat(DeviceXml.kind(d)).isEqualTo("interface");
    }

    @Test
    void otherElementsStayUnknownDevices() {
        DeviceDef d = DeviceXml.parse("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>");
        assertThat(d).isInstanceOf(UnknownDevice.class);
        assertThat(DeviceXml.kind(d)).isEqualTo("rng");
    }

    @Test
    void faultsAreTheDomainParsersFaults() {
        assertThatThrownBy(() -> DeviceXml.parse("<disk type='file'><source file='/x'/></disk>"))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.XML_ERROR))
                .hasMessageContaining("missing target information for device /x");
        assertThatThrownBy(() -> DeviceXml.parse("<disk"))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL))
                .hasMessageContaining("device_definition");
    }
}

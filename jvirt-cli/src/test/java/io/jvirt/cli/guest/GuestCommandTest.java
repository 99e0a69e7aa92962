package io.jvirt.cli.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.cli.Main;
import io.jvirt.guest.GuestImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code jvirt guest xml}'s device and workload options, checked without building the guest. */
class GuestCommandTest {
    private static final GuestImage IMAGE = new GuestImage(Path.of("/cache/vmlinuz"), Path.of("/cache/initrd.gz"));

    private static GuestCommand.Xml xml(String... args) {
        GuestCommand.Xml xml = new GuestCommand.Xml();
        new CommandLine(xml).parseArgs(args);
        return xml;
    }

    @Test
    void diskWorkloadBridgeAndAddressGoIntoTheXml() {
        String domain = xml(
                        "--name", "g1",
                        "--memory", "256",
                        "--fill", "64",
                        "--disk", "/images/g1.qcow2,format=qcow2",
                        "--disk", "/dev/loop3,type=block,bus=scsi",
                        "--disk-write", "4",
                        "--disk-region", "32",
                        "--bridge", "br0",
                        "--mac", "52:54:00:00:00:07",
                        "--nic-target", "vnet3",
                        "--ip", "10.232.0.7/24",
                        "--gateway", "10.232.0.1")
                .guest()
                .image(IMAGE)
                .toXml();
        assertThat(domain)
                .contains("<disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                        + "      <source file='/images/g1.qcow2'/>\n      <target dev='vda' bus='virtio'/>")
                .contains("<source dev='/dev/loop3'/>\n      <target dev='sda' bus='scsi'/>")
                .contains("<controller type='scsi' index='0' model='virtio-scsi'/>")
                .contains("<interface type='bridge'>\n      <mac address='52:54:00:00:00:07'/>\n"
                        + "      <source bridge='br0'/>\n      <target dev='vnet3'/>\n      <model type='virtio'/>")
                .contains(" jvirt.disk=/dev/vda jvirt.disk_mibps=4 jvirt.disk_mib=32"
                        + " jvirt.ip=10.232.0.7/24 jvirt.gw=10.232.0.1</cmdline>");
    }

    @Test
    void withoutTheNewOptionsTheXmlIsAsBefore() {
        String domain = xml("--name", "g2").guest().image(IMAGE).toXml();
        assertThat(domain).doesNotContain("<disk").doesNotContain("<interface").doesNotContain("jvirt.disk");
    }

    @Test
    void optionsThatNeedAnotherOneAreRefused() {
        assertThatThrownBy(() -> xml("--name", "g", "--disk-device", "/dev/vdb").guest())
                .isInstanceOf(ParameterException.class)
                .hasMessage("--disk-device needs --disk-write");
        assertThatThrownBy(
                        () -> xml("--name", "g", "--mac", "52:54:00:00:00:01").guest())
                .isInstanceOf(ParameterException.class)
                .hasMessage("--mac and --nic-target need --bridge");
    }

    @Test
    void aBadDiskSpecFailsBeforeAnyBuildWithLibvirtsWording() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(
                new String[] {
                    "guest", "xml", "--name", "g", "--disk", "/a.img,format=vmdk", "--cache-dir", "/nonexistent"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                uri -> {
                    throw new AssertionError("guest xml opens no connection");
                },
                new HashMap<>());
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("error: invalid argument: unsupported disk format 'vmdk'\n");
        assertThat(out.toString()).isEmpty();
    }
}

package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.io.StringReader;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

class GuestXmlTest {
    private static final GuestImage IMAGE =
            new GuestImage(Path.of("/cache/guest/vmlinuz"), Path.of("/cache/guest/initrd.gz"));

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static String text(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
    }

    private static double count(Document doc, String xpath) throws Exception {
        return (Double)
                XPathFactory.newInstance().newXPath().evaluate("count(" + xpath + ")", doc, XPathConstants.NUMBER);
    }

    @Test
    void defaultsDescribeAnIdleTcgGuestWithASerialLogFile() throws Exception {
        Document doc = parse(GuestXml.named("vm1").image(IMAGE).toXml());
        Element domain = doc.getDocumentElement();
        assertThat(domain.getTagName()).isEqualTo("domain");
        assertThat(domain.getAttribute("type")).isEqualTo("qemu");
        assertThat(text(doc, "/domain/name")).isEqualTo("vm1");
        assertThat(text(doc, "/domain/memory/@unit")).isEqualTo("MiB");
        assertThat(text(doc, "/domain/memory")).isEqualTo("512");
        assertThat(text(doc, "/domain/vcpu")).isEqualTo("1");
        assertThat(text(doc, "/domain/os/type")).isEqualTo("hvm");
        assertThat(text(doc, "/domain/os/type/@arch")).isEqualTo("x86_64");
        assertThat(text(doc, "/domain/os/type/@machine")).isEqualTo("pc");
        assertThat(text(doc, "/domain/os/kernel")).isEqualTo("/cache/guest/vmlinuz");
        assertThat(text(doc, "/domain/os/initrd")).isEqualTo("/cache/guest/initrd.gz");
        assertThat(text(doc, "/domain/os/cmdline"))
                .isEqualTo("quiet console=ttyS0 jvirt.fill=384 jvirt.dirty=0 jvirt.seed=1 jvirt.sweep=25");
        assertThat(count(doc, "/domain/features/acpi")).isEqualTo(1);
        assertThat(text(doc, "/domain/on_poweroff")).isEqualTo("destroy");
        assertThat(text(doc, "/domain/on_reboot")).isEqualTo("restart");
        assertThat(text(doc, "/domain/on_crash")).isEqualTo("destroy");
        assertThat(text(doc, "/domain/devices/emulator")).isEqualTo("/usr/bin/qemu-system-x86_64");
        for (String device : new String[] {"serial", "console"}) {
            String at = "/domain/devices/" + device;
            assertThat(text(doc, at + "/@type")).isEqualTo("file");
            assertThat(text(doc, at + "/source/@path")).isEqualTo("/tmp/jvirt-vm1.log");
            assertThat(text(doc, at + "/source/@append")).isEqualTo("on");
            assertThat(text(doc, at + "/target/@port")).isEqualTo("0");
        }
        assertThat(text(doc, "/domain/devices/memballoon/@model")).isEqualTo("none");
        assertThat(count(doc, "/domain/devices/disk | /domain/devices/interface | /domain/devices/graphics"))
                .isZero();
    }

    @Test
    void carriesTheWorkloadSettingsAndKvm() throws Exception {
        GuestXml guest = GuestXml.named("big-1")
                .memoryMiB(1024)
                .fillMiB(512)
                .dirtyMibps(200)
                .seed(7)
                .serialFile(Path.of("/var/log/a&b's.log"))
                .kvm(true)
                .image(IMAGE);
        Document doc = parse(guest.toXml());
        assertThat(doc.getDocumentElement().getAttribute("type")).isEqualTo("kvm");
        assertThat(text(doc, "/domain/memory")).isEqualTo("1024");
        assertThat(text(doc, "/domain/os/cmdline"))
                .isEqualTo("quiet console=ttyS0 jvirt.fill=512 jvirt.dirty=200 jvirt.seed=7 jvirt.sweep=25");
        assertThat(text(doc, "/domain/devices/serial/source/@path")).isEqualTo("/var/log/a&b's.log");
        assertThat(guest.kernelCmdline()).isEqualTo(text(doc, "/domain/os/cmdline"));
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> GuestXml.named("vm1")
                        .memoryMiB(512)
                        .fillMiB(500)
                        .image(IMAGE)
                        .toXml())
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG))
                .hasMessageContaining("500 MiB");
        assertThatThrownBy(() -> GuestXml.named("vm1").toXml()).hasMessageContaining("no image");
        assertThatThrownBy(() -> GuestXml.named("../etc")).hasMessageContaining("guest name");
        assertThatThrownBy(
                        () -> GuestXml.named("vm1").dirtyMibps(-1).image(IMAGE).toXml())
                .hasMessageContaining("dirty rate");
    }

    @Test
    void disksAndABridgedNicAreWrittenAsLibvirtUsersWriteThem() throws Exception {
        GuestXml guest = GuestXml.named("io-1")
                .memoryMiB(256)
                .fillMiB(64)
                .disk(GuestDisk.file(Path.of("/images/root.qcow2")).format(GuestDisk.Format.QCOW2))
                .disk(GuestDisk.block(Path.of("/dev/loop7")).on(GuestDisk.Bus.SCSI, "sda"))
                .disk(GuestDisk.file(Path.of("/images/cd.iso")).on(GuestDisk.Bus.SATA, "sdb"))
                .diskWorkload(4, 32)
                .nic(GuestNic.bridge("br-test", "52:54:00:AB:cd:01").target("vnet9"))
                .ip("10.232.1.2/24")
                .gateway("10.232.1.1")
                .image(IMAGE);
        Document doc = parse(guest.toXml());
        assertThat(count(doc, "/domain/devices/disk")).isEqualTo(3);
        String first = "/domain/devices/disk[1]";
        assertThat(text(doc, first + "/@type")).isEqualTo("file");
        assertThat(text(doc, first + "/@device")).isEqualTo("disk");
        assertThat(text(doc, first + "/driver/@name")).isEqualTo("qemu");
        assertThat(text(doc, first + "/driver/@type")).isEqualTo("qcow2");
        assertThat(text(doc, first + "/source/@file")).isEqualTo("/images/root.qcow2");
        assertThat(text(doc, first + "/target/@dev")).isEqualTo("vda");
        assertThat(text(doc, first + "/target/@bus")).isEqualTo("virtio");
        String second = "/domain/devices/disk[2]";
        assertThat(text(doc, second + "/@type")).isEqualTo("block");
        assertThat(text(doc, second + "/driver/@type")).isEqualTo("raw");
        assertThat(text(doc, second + "/source/@dev")).isEqualTo("/dev/loop7");
        assertThat(count(doc, second + "/source/@file")).isZero();
        assertThat(text(doc, second + "/target/@bus")).isEqualTo("scsi");
        assertThat(text(doc, "/domain/devices/disk[3]/target/@bus")).isEqualTo("sata");
        assertThat(text(doc, "/domain/devices/controller[@type='scsi']/@model")).isEqualTo("virtio-scsi");
        assertThat(count(doc, "/domain/devices/controller[@type='sata']")).isEqualTo(1);
        assertThat(count(doc, "/domain/devices/interface")).isEqualTo(1);
        assertThat(text(doc, "/domain/devices/interface/@type")).isEqualTo("bridge");
        assertThat(text(doc, "/domain/devices/interface/mac/@address")).isEqualTo("52:54:00:ab:cd:01");
        assertThat(text(doc, "/domain/devices/interface/source/@bridge")).isEqualTo("br-test");
        assertThat(text(doc, "/domain/devices/interface/target/@dev")).isEqualTo("vnet9");
        assertThat(text(doc, "/domain/devices/interface/model/@type")).isEqualTo("virtio");
        assertThat(text(doc, "/domain/os/cmdline"))
                .isEqualTo("quiet console=ttyS0 jvirt.fill=64 jvirt.dirty=0 jvirt.seed=1 jvirt.sweep=25"
                        + " jvirt.disk=/dev/vda jvirt.disk_mibps=4 jvirt.disk_mib=32"
                        + " jvirt.ip=10.232.1.2/24 jvirt.gw=10.232.1.1");
    }

    @Test
    void theDiskWorkloadMayNameADeviceQemuGetsOnItsCommandLine() throws Exception {
        GuestXml guest =
                GuestXml.named("direct").diskWorkload("/dev/vdb", 0, 16).bridge("br0");
        assertThat(guest.kernelCmdline()).endsWith(" jvirt.disk=/dev/vdb jvirt.disk_mibps=0 jvirt.disk_mib=16");
        Document doc = parse(guest.image(IMAGE).toXml());
        assertThat(count(doc, "/domain/devices/disk")).isZero();
        assertThat(text(doc, "/domain/devices/interface/mac/@address"))
                .isEqualTo(GuestNic.macFor("direct"))
                .startsWith("52:54:00:");
        assertThat(count(doc, "/domain/devices/interface/target")).isZero();
        assertThat(GuestNic.macFor("direct")).isNotEqualTo(GuestNic.macFor("direct2"));
    }

    @Test
    void refusesDiskAndNetworkSettingsThatCannotWork() {
        assertThatThrownBy(() -> GuestXml.named("vm1").diskWorkload(4, 32).kernelCmdline())
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG))
                .hasMessageContaining("runs the disk workload but has no disk");
        assertThatThrownBy(
                        () -> GuestXml.named("vm1").diskWorkload("vda", 4, 32).kernelCmdline())
                .hasMessageContaining("must be a /dev node");
        assertThatThrownBy(() ->
                        GuestXml.named("vm1").diskWorkload("/dev/vda", -1, 32).kernelCmdline())
                .hasMessageContaining("disk write rate");
        assertThatThrownBy(() ->
                        GuestXml.named("vm1").diskWorkload("/dev/vda", 1, 0).kernelCmdline())
                .hasMessageContaining("disk workload region");
        assertThatThrownBy(() -> GuestXml.named("vm1").ip("10.0.0.300/24").kernelCmdline())
                .hasMessageContaining("guest address must be IPv4 with a prefix length");
        assertThatThrownBy(() -> GuestXml.named("vm1").ip("10.0.0.3").kernelCmdline())
                .hasMessageContaining("guest address must be IPv4 with a prefix length");
        assertThatThrownBy(() -> GuestXml.named("vm1").gateway("10.0.0.1").kernelCmdline())
                .hasMessageContaining("has a gateway but no address");
        assertThatThrownBy(() -> GuestNic.bridge("br0", "53:54:00:00:00:01")).hasMessageContaining("unicast");
        assertThatThrownBy(() -> GuestNic.bridge("a-bridge-name-too-long", "52:54:00:00:00:01"))
                .hasMessageContaining("bridge name");
    }
}

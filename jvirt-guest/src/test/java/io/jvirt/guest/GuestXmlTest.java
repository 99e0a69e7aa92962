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
}

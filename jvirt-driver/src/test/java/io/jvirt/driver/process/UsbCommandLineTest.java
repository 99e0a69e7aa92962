package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The USB controllers of libvirt's XML on QEMU's command line, where libvirt puts them. */
class UsbCommandLineTest {
    private static List<String> argv(String machine, String devices) {
        DomainDef def = LiveDefinition.prepare(
                DomainXml.parse("<domain type='qemu'><name>d</name><memory>1024</memory><os><type machine='" + machine
                        + "'>hvm</type></os><devices>" + devices + "</devices></domain>"),
                1,
                new DisplayPorts());
        List<String> argv = new ArrayList<>();
        UsbCommandLine.add(def, argv);
        return argv;
    }

    @Test
    void libvirtsDefaultControllerSitsInThePiixSlot() {
        assertThat(argv("pc-i440fx-10.0", "<controller type='usb' index='0' model='piix3-uhci'/>"))
                .containsExactly(
                        "-device",
                        "{\"driver\":\"piix3-usb-uhci\",\"id\":\"usb\",\"bus\":\"pci.0\",\"addr\":\"0x1.0x2\"}");
    }

    @Test
    void anAddressInTheXmlWins() {
        assertThat(argv(
                        "pc",
                        "<controller type='usb' index='0' model='qemu-xhci'><address type='pci' domain='0x0000'"
                                + " bus='0x00' slot='0x05' function='0x0'/></controller>"))
                .containsExactly(
                        "-device", "{\"driver\":\"qemu-xhci\",\"id\":\"usb\",\"bus\":\"pci.0\",\"addr\":\"0x5\"}");
    }

    @Test
    void modelNoneBuildsNothingAndNoModelIsTheMachinesDefault() {
        assertThat(argv("pc", "<controller type='usb' model='none'/>")).isEmpty();
        assertThat(argv("pc", "<controller type='usb'/>")).anyMatch(a -> a.contains("piix3-usb-uhci"));
        assertThat(argv("q35", "<controller type='usb'/>")).anyMatch(a -> a.contains("qemu-xhci"));
    }

    @Test
    void anUnknownModelIsRefusedByName() {
        assertThatThrownBy(() -> argv("pc", "<controller type='usb' model='vt82c686b-uhci'/>"))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNSUPPORTED))
                .hasMessageContaining("USB controller model 'vt82c686b-uhci' is not supported");
    }
}

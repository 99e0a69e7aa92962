package io.jvirt.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** What the migration XML says of the USB controller, sent and received. */
class ImplicitUsbTest {
    private static DomainDef def(String machine, String devices) {
        return DomainXml.parse("<domain type='qemu'><name>d</name><memory>1024</memory><os><type machine='" + machine
                + "'>hvm</type></os><devices>" + devices + "</devices></domain>");
    }

    private static String model(DomainDef d) {
        return d.devicesOf(UsbControllerDef.class).getFirst().model();
    }

    @Test
    void aGuestWithoutOneIsSentWithModelNone() {
        DomainDef sent = ImplicitUsb.explicit(def("pc", ""));
        assertThat(DomainXml.format(sent, EnumSet.of(FormatFlag.MIGRATABLE)))
                .contains("<controller type='usb' index='0' model='none'/>");
        DomainDef withOne = def("pc", "<controller type='usb' index='0' model='qemu-xhci'/>");
        assertThat(ImplicitUsb.explicit(withOne)).isEqualTo(withOne);
    }

    @Test
    void anXmlWithoutOneGetsLibvirtsDefault() {
        assertThat(model(ImplicitUsb.withLibvirtDefault(def("pc-i440fx-10.0", ""))))
                .isEqualTo("piix3-uhci");
        assertThat(model(ImplicitUsb.withLibvirtDefault(def("pc-q35-10.0", ""))))
                .isEqualTo("qemu-xhci");
        DomainDef none = def("pc", "<controller type='usb' model='none'/>");
        assertThat(ImplicitUsb.withLibvirtDefault(none)).isEqualTo(none);
    }
}

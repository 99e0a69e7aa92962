package io.jvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.api.XmlFlags;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import org.junit.jupiter.api.Test;

/**
 * VNC and SPICE passwords leave the driver only with VIR_DOMAIN_XML_SECURE, never because of another flag
 * (CVE-2014-7823: MIGRATABLE once implied SECURE, and read-only clients got the passwords). The daemon refuses SECURE
 * and MIGRATABLE to read-only clients ({@code ReadOnlyRefusalTest}), so what they get is the stripped form.
 */
class XmlDescriptionsSecretsTest {
    private static final String XML = "<domain type='qemu'><name>g</name><memory>65536</memory>"
            + "<os><type>hvm</type></os><devices>"
            + "<graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1' passwd='vnc-s3cret'/>"
            + "<graphics type='spice' port='5930' autoport='no' passwd='spice-s3cret'/>"
            + "</devices></domain>";

    private static DomainObj running() {
        DomainDef def = DomainXml.parse(XML);
        DomainObj d = new DomainObj(def);
        d.setPersistentDef(def);
        d.markActive(1, new QemuRun(1, null, false), def.withId(1), StateReason.RUNNING_BOOTED);
        return d;
    }

    @Test
    void passwordsOnlyWithTheSecureFlag() {
        DomainObj d = running();
        for (int flags : new int[] {
            0, XmlFlags.INACTIVE, XmlFlags.MIGRATABLE, XmlFlags.INACTIVE | XmlFlags.MIGRATABLE, XmlFlags.UPDATE_CPU
        }) {
            assertThat(XmlDescriptions.describe(d, flags))
                    .as("flags %d", flags)
                    .contains("<graphics type='vnc'")
                    .doesNotContain("passwd")
                    .doesNotContain("s3cret");
        }
        assertThat(XmlDescriptions.describe(d, XmlFlags.SECURE))
                .contains("passwd='vnc-s3cret'")
                .contains("passwd='spice-s3cret'");
    }
}

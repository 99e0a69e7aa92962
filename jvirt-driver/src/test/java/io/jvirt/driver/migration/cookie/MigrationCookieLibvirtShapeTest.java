package io.jvirt.driver.migration.cookie;

import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A cookie with every section libvirt writes, in libvirt's order and layout ({@code libvirt-shape.xml}, our own
 * data in the shape of libvirt's tests/qemumigrationcookiexmldata/full-xml2xml-out.xml), including sections
 * jvirt does not model ({@code network}, {@code cpu}, {@code allowReboot},
 * {@code blockDirtyBitmaps}).
 */
class MigrationCookieLibvirtShapeTest {
    private static final UUID DOMAIN = UUID.fromString("5b0c6e2a-93f4-4c1d-a7e8-0f2d4b6c8e19");
    private static final UUID LOCAL_HOST = UUID.fromString("00000000-1111-2222-3333-444444444444");
    private static final Set<CookieFeature> ALL = EnumSet.allOf(CookieFeature.class);

    private static MigrationCookie parse(String xml, Set<CookieFeature> accepted) {
        return MigrationCookieXml.parse(xml, accepted, "web01", DOMAIN, LOCAL_HOST);
    }

    @Test
    void modelledSectionsAreReadAndOthersSkipped() {
        MigrationCookie c = parse(resource("libvirt-shape.xml"), ALL);

        assertThat(c.hostname()).isEqualTo("node-a");
        assertThat(c.hostUuid()).isEqualTo(UUID.fromString("a1b2c3d4-e5f6-4789-9abc-def012345678"));
        // the <feature> inside <cpu> is a CPU feature, not a cookie feature
        assertThat(c.mandatory())
                .containsExactly(CookieFeature.LOCKSTATE, CookieFeature.MEMORY_HOTPLUG, CookieFeature.CPU_HOTPLUG);
        assertThat(c.graphics()).isEqualTo(CookieGraphics.spice(5910, 5911, "198.51.100.7", "CN=node-b,O=Lab"));
        assertThat(c.lockState()).isEqualTo(new CookieLockState("sanlock", "lease-state-blob"));
        assertThat(c.persistentXml())
                .startsWith("<domain type='kvm'>\n  <name>web01</name>")
                .endsWith("</devices>\n</domain>");
        assertThat(c.nbd())
                .isEqualTo(new CookieNbd(
                        49153,
                        java.util.List.of(
                                new CookieNbd.Disk("vda", 10737418240L), new CookieNbd.Disk("vdb", 1073741824L))));
        assertThat(c.statistics().startedMillis()).isEqualTo(100);
        assertThat(c.statistics().deltaMillis()).isEqualTo(5L);
        assertThat(c.statistics().values())
                .containsEntry("disk_total", 11811160064L)
                .containsEntry("downtime", 21L)
                .doesNotContainKey("setup_time");
        assertThat(c.capabilities())
                .containsExactly(
                        new CookieCapability("xbzrle", false),
                        new CookieCapability("multifd", false),
                        new CookieCapability("pause-before-switchover", true));
    }

    @Test
    void writingItBackKeepsLibvirtsOrderWithoutTheUnmodelledSections() {
        String xml = resource("libvirt-shape.xml");
        String written = MigrationCookieXml.format(parse(xml, ALL));

        assertThat(written).doesNotContain("<network>", "<cpu", "<allowReboot", "<blockDirtyBitmaps>");
        assertThat(written)
                .as("the nbd section comes back byte for byte")
                .isEqualTo(withoutSections(xml, "network", "cpu", "blockDirtyBitmaps")
                        .replace("  <allowReboot value='yes'/>\n", ""));
    }

    @Test
    void sectionsThePhaseDoesNotAcceptAreNotRead() {
        MigrationCookie c = parse(
                resource("libvirt-shape.xml"),
                EnumSet.of(
                        CookieFeature.LOCKSTATE,
                        CookieFeature.MEMORY_HOTPLUG,
                        CookieFeature.CPU_HOTPLUG,
                        CookieFeature.STATISTICS));

        assertThat(c.graphics()).isNull();
        assertThat(c.persistentXml()).isNull();
        assertThat(c.capabilities()).isNull();
        assertThat(c.lockState()).isNotNull();
        assertThat(c.statistics()).isNotNull();
        assertThat(c.present())
                .containsExactly(
                        CookieFeature.LOCKSTATE,
                        CookieFeature.STATISTICS,
                        CookieFeature.MEMORY_HOTPLUG,
                        CookieFeature.CPU_HOTPLUG);
    }

    @Test
    void malformedSectionIsIgnoredWhenNotAccepted() {
        String xml = resource("libvirt-shape.xml")
                .replace("<graphics type='spice' port='5910'", "<graphics type='spice' port='many'");
        Set<CookieFeature> noGraphics = EnumSet.complementOf(EnumSet.of(CookieFeature.GRAPHICS));

        assertThat(parse(xml, noGraphics).graphics()).isNull();
        assertRefused(() -> parse(xml, ALL), "missing port attribute in migration data");
    }

    @Test
    void mandatoryFeatureThePhaseDoesNotAcceptIsRefusedByName() {
        Set<CookieFeature> noCpuHotplug = EnumSet.complementOf(EnumSet.of(CookieFeature.CPU_HOTPLUG));

        assertRefused(
                () -> parse(resource("libvirt-shape.xml"), noCpuHotplug),
                "Unsupported migration cookie feature cpu-hotplug");
    }

    @Test
    void unmodelledSectionListedAsMandatoryIsRefusedWhenNotAccepted() {
        String xml = resource("libvirt-shape.xml")
                .replace(
                        "  <feature name='cpu-hotplug'/>\n",
                        "  <feature name='cpu-hotplug'/>\n  <feature name='nbd'/>\n");
        Set<CookieFeature> noNbd = EnumSet.complementOf(EnumSet.of(CookieFeature.NBD));

        assertRefused(() -> parse(xml, noNbd), "Unsupported migration cookie feature nbd");
        assertThat(parse(xml, ALL).mandatory()).contains(CookieFeature.NBD);
    }

    private static String withoutSections(String xml, String... names) {
        String out = xml;
        for (String name : names) {
            int start = out.indexOf("  <" + name);
            String close = "  </" + name + ">\n";
            int end = out.indexOf(close, start) + close.length();
            assertThat(start).as(name).isPositive();
            out = out.substring(0, start) + out.substring(end);
        }
        return out;
    }

    static void assertRefused(Runnable call, String detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(e.domain()).isEqualTo(ErrorDomain.QEMU);
            assertThat(e.getMessage()).isEqualTo("internal error: " + detail);
        });
    }
}

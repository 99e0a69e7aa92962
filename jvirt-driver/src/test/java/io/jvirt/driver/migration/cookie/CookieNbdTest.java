package io.jvirt.driver.migration.cookie;

import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.DEST_HOST;
import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.DOMAIN_UUID;
import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.NAME;
import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.SOURCE_HOST;
import static io.jvirt.driver.migration.cookie.MigrationCookieLibvirtShapeTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cookie's {@code nbd} section: libvirt's layout out, libvirt's checks in, read only where accepted. */
class CookieNbdTest {
    private static final Set<CookieFeature> ALL = EnumSet.allOf(CookieFeature.class);
    private static final String HEAD = "<qemu-migration>\n  <name>guest1</name>\n"
            + "  <uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>\n  <hostname>src.example.org</hostname>\n"
            + "  <hostuuid>0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71</hostuuid>\n";

    private static MigrationCookie source() {
        return MigrationCookie.of(NAME, DOMAIN_UUID, "src.example.org", SOURCE_HOST);
    }

    private static MigrationCookie receive(String xml, Set<CookieFeature> accepted) {
        return MigrationCookieXml.parse(xml, accepted, NAME, DOMAIN_UUID, DEST_HOST);
    }

    @Test
    void formatsAsLibvirtDoesAndReadsBack() {
        CookieNbd nbd =
                new CookieNbd(49153, List.of(new CookieNbd.Disk("vda", 67108864), new CookieNbd.Disk("vdb", 1024)));
        MigrationCookie cookie = source().withNbd(nbd).withStatistics(null);
        String xml = MigrationCookieXml.format(cookie);

        assertThat(xml)
                .isEqualTo(HEAD
                        + "  <nbd port='49153'>\n"
                        + "    <disk target='vda' capacity='67108864'/>\n"
                        + "    <disk target='vdb' capacity='1024'/>\n"
                        + "  </nbd>\n"
                        + "</qemu-migration>\n");
        MigrationCookie back = receive(xml, ALL);
        assertThat(back.nbd()).isEqualTo(nbd);
        assertThat(back.present()).contains(CookieFeature.NBD);
        assertThat(back.nbd().capacityOf("vdb")).isEqualTo(1024);
        assertThat(back.nbd().capacityOf("vdc")).isEqualTo(-1);
    }

    @Test
    void aSourceHasNoPortAndAnEmptySectionIsOneElement() {
        assertThat(MigrationCookieXml.format(source().withNbd(new CookieNbd(0, List.of(new CookieNbd.Disk("sda", 5))))))
                .contains("  <nbd>\n    <disk target='sda' capacity='5'/>\n  </nbd>\n");
        assertThat(MigrationCookieXml.format(source().withNbd(new CookieNbd(0, List.of()))))
                .contains("  <nbd/>\n");
        assertThat(MigrationCookieXml.format(source().withNbd(new CookieNbd(7, List.of()))))
                .contains("  <nbd port='7'/>\n");
    }

    @Test
    void sitsBetweenTheDomainAndTheStatistics() {
        String xml =
                MigrationCookieXml.format(source().withPersistent("<domain type='qemu'><name>guest1</name></domain>")
                        .withNbd(new CookieNbd(1, List.of()))
                        .withStatistics(new CookieStatistics(1, 2, 3, null, java.util.Map.of())));
        assertThat(xml.indexOf("<nbd")).isGreaterThan(xml.indexOf("</domain>")).isLessThan(xml.indexOf("<statistics>"));
    }

    @Test
    void isReadOnlyByPhasesThatAcceptIt() {
        String xml = HEAD + "  <nbd port='5'/>\n</qemu-migration>\n";
        assertThat(receive(xml, EnumSet.of(CookieFeature.STATISTICS)).nbd()).isNull();
        assertThat(receive(xml, EnumSet.of(CookieFeature.NBD)).nbd()).isEqualTo(new CookieNbd(5, List.of()));
    }

    @Test
    void malformedValuesAreRefusedWithLibvirtsMessages() {
        assertRefused(() -> receive(HEAD + "  <nbd port='x'/>\n</qemu-migration>\n", ALL), "Malformed nbd port 'x'");
        assertRefused(
                () -> receive(HEAD + "  <nbd><disk capacity='1'/></nbd>\n</qemu-migration>\n", ALL),
                "Malformed disk target");
        assertRefused(
                () -> receive(HEAD + "  <nbd><disk target='vda'/></nbd>\n</qemu-migration>\n", ALL),
                "Malformed disk capacity: '(null)'");
        assertRefused(
                () -> receive(HEAD + "  <nbd><disk target='vda' capacity='-1'/></nbd>\n</qemu-migration>\n", ALL),
                "Malformed disk capacity: '-1'");
    }
}

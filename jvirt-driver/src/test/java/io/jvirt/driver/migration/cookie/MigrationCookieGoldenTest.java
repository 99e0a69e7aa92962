package io.jvirt.driver.migration.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One golden cookie per migration phase, in libvirt's layout (see libvirt's tests/qemumigrationcookiexmldata):
 * formatting the record gives the file byte for byte, and parsing the file with the features that phase's
 * receiver accepts gives the record back.
 */
class MigrationCookieGoldenTest {
    static final String NAME = "guest1";
    static final UUID DOMAIN_UUID = UUID.fromString("c7a5fdbd-cdaf-9455-926a-d65c16db1809");
    static final UUID SOURCE_HOST = UUID.fromString("0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71");
    static final UUID DEST_HOST = UUID.fromString("7e2b9f60-41c3-4a5d-8e1f-6b0a9c3d2e54");

    /** What the destination's Prepare reads from a Begin cookie (libvirt's accepted set for that phase). */
    static final Set<CookieFeature> PREPARE_ACCEPTS = EnumSet.of(
            CookieFeature.LOCKSTATE,
            CookieFeature.NBD,
            CookieFeature.MEMORY_HOTPLUG,
            CookieFeature.CPU_HOTPLUG,
            CookieFeature.CPU,
            CookieFeature.CAPABILITIES,
            CookieFeature.BLOCK_DIRTY_BITMAPS);
    /** What the source's Perform reads from a Prepare cookie. */
    static final Set<CookieFeature> PERFORM_ACCEPTS = EnumSet.of(
            CookieFeature.NBD, CookieFeature.GRAPHICS, CookieFeature.CAPABILITIES, CookieFeature.BLOCK_DIRTY_BITMAPS);
    /** What the destination's Finish reads from a Perform cookie. */
    static final Set<CookieFeature> FINISH_ACCEPTS =
            EnumSet.of(CookieFeature.NETWORK, CookieFeature.STATISTICS, CookieFeature.NBD, CookieFeature.PERSISTENT);
    /** What the source's Confirm reads from a Finish cookie. */
    static final Set<CookieFeature> CONFIRM_ACCEPTS = EnumSet.of(CookieFeature.STATISTICS);

    static String resource(String name) {
        String path = "/migration/cookie/" + name;
        try (InputStream in = MigrationCookieGoldenTest.class.getResourceAsStream(path)) {
            assertThat(in).as("test resource %s", path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static MigrationCookie beginCookie() {
        return MigrationCookie.of(NAME, DOMAIN_UUID, "src.example.org", SOURCE_HOST)
                .withMandatory(CookieFeature.LOCKSTATE)
                .withCapabilities(List.of(
                        new CookieCapability("xbzrle", false),
                        new CookieCapability("auto-converge", false),
                        new CookieCapability("postcopy-ram", false),
                        new CookieCapability("pause-before-switchover", true),
                        new CookieCapability("multifd", false),
                        new CookieCapability("dirty-bitmaps", false),
                        new CookieCapability("return-path", false),
                        new CookieCapability("switchover-ack", true)));
    }

    static MigrationCookie prepareSpiceCookie() {
        return MigrationCookie.of(NAME, DOMAIN_UUID, "dst.example.org", DEST_HOST)
                .withGraphics(
                        CookieGraphics.spice(5901, 5902, "192.0.2.20", "CN=dst.example.org,O=Example\\, Inc.,C=CZ"))
                .withCapabilities(List.of(
                        new CookieCapability("xbzrle", false),
                        new CookieCapability("postcopy-ram", false),
                        new CookieCapability("late-block-activate", true),
                        new CookieCapability("switchover-ack", true)));
    }

    static MigrationCookie prepareVncCookie() {
        return MigrationCookie.of(NAME, DOMAIN_UUID, "dst.example.org", DEST_HOST)
                .withGraphics(CookieGraphics.vnc(5900, "0.0.0.0"))
                .withCapabilities(List.of());
    }

    static MigrationCookie performCookie() {
        Map<String, Long> v = new LinkedHashMap<>();
        v.put("time_elapsed", 4478L);
        v.put("downtime", 34L);
        v.put("setup_time", 6L);
        v.put("memory_total", 537460736L);
        v.put("memory_processed", 214748364L);
        v.put("memory_remaining", 0L);
        v.put("memory_bps", 117440512L);
        v.put("memory_constant", 79872L);
        v.put("memory_normal", 52224L);
        v.put("memory_normal_bytes", 213909504L);
        v.put("memory_dirty_rate", 1024L);
        v.put("memory_iteration", 3L);
        v.put("memory_postcopy_requests", 0L);
        v.put("memory_page_size", 4096L);
        v.put("disk_total", 0L);
        v.put("disk_processed", 0L);
        v.put("disk_remaining", 0L);
        v.put("disk_bps", 0L);
        v.put("auto_converge_throttle", 0L);
        return MigrationCookie.of(NAME, DOMAIN_UUID, "src.example.org", SOURCE_HOST)
                .withPersistent(resource("perform-domain.xml").stripTrailing())
                .withStatistics(new CookieStatistics(1718000000123L, 1718000004567L, 1718000004601L, null, v));
    }

    static MigrationCookie finishCookie() {
        // given out of libvirt's order on purpose: the record keeps libvirt's order whatever it is given
        Map<String, Long> v = new LinkedHashMap<>();
        v.put("auto_converge_throttle", 20L);
        v.put("compression_overflow", 2L);
        v.put("compression_cache_misses", 17L);
        v.put("compression_pages", 512L);
        v.put("compression_bytes", 1048576L);
        v.put("compression_cache", 67108864L);
        v.put("disk_bps", 0L);
        v.put("disk_remaining", 0L);
        v.put("disk_processed", 0L);
        v.put("disk_total", 0L);
        v.put("memory_page_size", 4096L);
        v.put("memory_postcopy_requests", 0L);
        v.put("memory_iteration", 3L);
        v.put("memory_dirty_rate", 1024L);
        v.put("memory_bps", 117440512L);
        v.put("memory_remaining", 0L);
        v.put("memory_processed", 214748364L);
        v.put("memory_total", 537460736L);
        v.put("setup_time", 6L);
        v.put("downtime", 46L);
        v.put("time_elapsed", 4478L);
        return MigrationCookie.of(NAME, DOMAIN_UUID, "dst.example.org", DEST_HOST)
                .withStatistics(new CookieStatistics(1718000000123L, 1718000004567L, 1718000004650L, -12L, v));
    }

    @Test
    void beginCookieFormatsAsGoldenFile() {
        assertThat(MigrationCookieXml.format(beginCookie())).isEqualTo(resource("begin.xml"));
    }

    @Test
    void beginGoldenFileParsesToRecordInPrepare() {
        MigrationCookie parsed =
                MigrationCookieXml.parse(resource("begin.xml"), PREPARE_ACCEPTS, NAME, DOMAIN_UUID, DEST_HOST);
        assertThat(parsed).isEqualTo(beginCookie());
        assertThat(parsed.lockState())
                .as("lockstate is mandatory but the nop lock manager sent no state")
                .isNull();
    }

    @Test
    void prepareSpiceCookieFormatsAsGoldenFile() {
        assertThat(MigrationCookieXml.format(prepareSpiceCookie())).isEqualTo(resource("prepare-spice.xml"));
    }

    @Test
    void prepareSpiceGoldenFileParsesToRecordInPerform() {
        MigrationCookie parsed = MigrationCookieXml.parse(
                resource("prepare-spice.xml"), PERFORM_ACCEPTS, NAME, DOMAIN_UUID, SOURCE_HOST);
        assertThat(parsed).isEqualTo(prepareSpiceCookie());
        assertThat(parsed.graphics().certSubject()).isEqualTo("CN=dst.example.org,O=Example\\, Inc.,C=CZ");
    }

    @Test
    void prepareVncCookieFormatsAsGoldenFile() {
        assertThat(MigrationCookieXml.format(prepareVncCookie())).isEqualTo(resource("prepare-vnc.xml"));
    }

    @Test
    void prepareVncGoldenFileParsesToRecordInPerform() {
        MigrationCookie parsed =
                MigrationCookieXml.parse(resource("prepare-vnc.xml"), PERFORM_ACCEPTS, NAME, DOMAIN_UUID, SOURCE_HOST);
        assertThat(parsed).isEqualTo(prepareVncCookie());
        assertThat(parsed.graphics().tlsPort()).isEqualTo(-1);
        assertThat(parsed.capabilities())
                .as("an empty section is present, not absent")
                .isEmpty();
    }

    @Test
    void performCookieFormatsAsGoldenFile() {
        assertThat(MigrationCookieXml.format(performCookie())).isEqualTo(resource("perform.xml"));
    }

    @Test
    void performGoldenFileParsesToRecordInFinish() {
        MigrationCookie parsed =
                MigrationCookieXml.parse(resource("perform.xml"), FINISH_ACCEPTS, NAME, DOMAIN_UUID, DEST_HOST);
        assertThat(parsed).isEqualTo(performCookie());
        assertThat(parsed.mandatory()).containsExactly(CookieFeature.PERSISTENT);
    }

    @Test
    void persistentDefinitionFromCookieIsReadableAsDomainXml() {
        MigrationCookie parsed =
                MigrationCookieXml.parse(resource("perform.xml"), FINISH_ACCEPTS, NAME, DOMAIN_UUID, DEST_HOST);
        DomainDef def = DomainXml.parse(parsed.persistentXml());
        assertThat(def.name()).isEqualTo(NAME);
        assertThat(def.uuid()).isEqualTo(DOMAIN_UUID);
        assertThat(parsed.persistentXml()).contains("<description>first line &amp; more\nsecond line</description>");
    }

    @Test
    void finishCookieFormatsAsGoldenFile() {
        assertThat(MigrationCookieXml.format(finishCookie())).isEqualTo(resource("finish.xml"));
    }

    @Test
    void finishGoldenFileParsesToRecordInConfirm() {
        MigrationCookie parsed =
                MigrationCookieXml.parse(resource("finish.xml"), CONFIRM_ACCEPTS, NAME, DOMAIN_UUID, SOURCE_HOST);
        assertThat(parsed).isEqualTo(finishCookie());
        assertThat(parsed.statistics().deltaMillis()).isEqualTo(-12L);
        assertThat(parsed.statistics().values().keySet())
                .containsExactlyElementsOf(CookieStatistics.NAMES.stream()
                        .filter(parsed.statistics().values()::containsKey)
                        .toList());
    }

    @Test
    void everyGoldenFileSurvivesParseAndFormat() {
        for (String file : List.of("begin.xml", "prepare-spice.xml", "prepare-vnc.xml", "perform.xml", "finish.xml")) {
            String xml = resource(file);
            UUID local = xml.contains(SOURCE_HOST.toString()) ? DEST_HOST : SOURCE_HOST;
            MigrationCookie parsed =
                    MigrationCookieXml.parse(xml, EnumSet.allOf(CookieFeature.class), null, DOMAIN_UUID, local);
            assertThat(MigrationCookieXml.format(parsed)).as(file).isEqualTo(xml);
        }
    }
}

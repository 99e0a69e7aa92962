package io.jvirt.driver.migration.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cookie value types: libvirt's feature numbering and the record's conveniences. */
class MigrationCookieTest {
    private static final MigrationCookie BARE = MigrationCookie.of(
            "g",
            UUID.fromString("c7a5fdbd-cdaf-9455-926a-d65c16db1809"),
            "h",
            UUID.fromString("0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71"));

    @Test
    void featuresCarryLibvirtsBitsAndNames() {
        assertThat(EnumSet.allOf(CookieFeature.class))
                .extracting(CookieFeature::bit, CookieFeature::xmlName)
                .containsExactly(
                        tuple(0, "graphics"),
                        tuple(1, "lockstate"),
                        tuple(2, "persistent"),
                        tuple(3, "network"),
                        tuple(4, "nbd"),
                        tuple(5, "statistics"),
                        tuple(6, "memory-hotplug"),
                        tuple(7, "cpu-hotplug"),
                        tuple(8, "cpu"),
                        tuple(9, "allowReboot"),
                        tuple(10, "capabilities"),
                        tuple(11, "block-dirty-bitmaps"));
    }

    @Test
    void featureNamesAndMasksRoundTrip() {
        for (CookieFeature f : CookieFeature.values()) {
            assertThat(CookieFeature.fromName(f.xmlName())).contains(f);
            assertThat(f.mask()).isEqualTo(1 << f.bit());
        }
        assertThat(CookieFeature.fromName("stats")).isEmpty();
        assertThat(CookieFeature.fromName("blockDirtyBitmaps"))
                .as("the element name is not the feature name")
                .isEmpty();
        assertThat(CookieFeature.toMask(List.of(CookieFeature.LOCKSTATE, CookieFeature.CAPABILITIES)))
                .isEqualTo(0x402);
        assertThat(CookieFeature.fromMask(0x402 | (1 << 30)))
                .containsExactly(CookieFeature.LOCKSTATE, CookieFeature.CAPABILITIES);
    }

    @Test
    void identityOnlyCookieHasNothingPresent() {
        assertThat(BARE.present()).isEmpty();
        assertThat(BARE.mandatory()).isEmpty();
    }

    @Test
    void lockStateAndPersistentBecomeMandatoryAsInLibvirt() {
        MigrationCookie c =
                BARE.withLockState(new CookieLockState("sanlock", "x")).withPersistent("<domain/>");
        assertThat(c.mandatory()).containsExactly(CookieFeature.LOCKSTATE, CookieFeature.PERSISTENT);
    }

    @Test
    void graphicsStatisticsAndCapabilitiesAreNotMandatory() {
        MigrationCookie c = BARE.withGraphics(CookieGraphics.vnc(5900, "::"))
                .withStatistics(new CookieStatistics(1, 2, 3, null, Map.of()))
                .withCapabilities(List.of());
        assertThat(c.mandatory()).isEmpty();
        assertThat(c.present())
                .containsExactly(CookieFeature.GRAPHICS, CookieFeature.STATISTICS, CookieFeature.CAPABILITIES);
    }

    @Test
    void mandatoryFlagsWithoutSectionsArePresent() {
        MigrationCookie c = BARE.withMandatory(CookieFeature.CPU_HOTPLUG, CookieFeature.MEMORY_HOTPLUG);
        assertThat(c.present()).containsExactly(CookieFeature.MEMORY_HOTPLUG, CookieFeature.CPU_HOTPLUG);
    }

    @Test
    void statisticsKeepLibvirtsOrderAndRefuseUnknownNames() {
        CookieStatistics s =
                new CookieStatistics(0, 0, 0, null, Map.of("disk_bps", 1L, "time_elapsed", 2L, "memory_total", 3L));
        assertThat(s.values().keySet()).containsExactly("time_elapsed", "memory_total", "disk_bps");
        assertThatThrownBy(() -> new CookieStatistics(0, 0, 0, null, Map.of("warp_factor", 9L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warp_factor");
    }

    @Test
    void onlySpiceCarriesATlsPort() {
        assertThat(CookieGraphics.spice(1, 2, "a", null).isSpice()).isTrue();
        assertThatThrownBy(() -> new CookieGraphics("vnc", 5900, 5901, "a", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CookieGraphics("hologram", 1, -1, "a", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyLeasesMeanNoState() {
        assertThat(new CookieLockState("sanlock", "").leases()).isNull();
    }
}

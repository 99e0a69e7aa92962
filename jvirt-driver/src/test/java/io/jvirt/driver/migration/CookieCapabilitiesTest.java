package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.driver.migration.cookie.CookieCapability;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What each side goes by when it decides on the capabilities both must switch on together: a destination on what
 * the source lists, a source only on what the destination says it switched on itself.
 */
class CookieCapabilitiesTest {
    private static MigrationCookie cookie(CookieCapability... caps) {
        return MigrationCookie.of("g", UUID.randomUUID(), "h", UUID.randomUUID())
                .withCapabilities(List.of(caps));
    }

    @Test
    void theDestinationGoesByWhatTheSourceLists() {
        MigrationCookie begin = cookie(
                new CookieCapability("switchover-ack", false), new CookieCapability("late-block-activate", false));
        assertThat(CookieSections.listed(begin)).containsExactlyInAnyOrder("switchover-ack", "late-block-activate");
        assertThat(CookieSections.listed(MigrationCookie.of("g", UUID.randomUUID(), "h", UUID.randomUUID())))
                .isEmpty();
    }

    @Test
    void theSourceGoesOnlyByWhatTheDestinationSwitchedOn() {
        MigrationCookie listedOnly = cookie(new CookieCapability("switchover-ack", false));
        MigrationCookie switchedOn =
                cookie(new CookieCapability("switchover-ack", true), new CookieCapability("xbzrle", false));
        assertThat(CookieSections.automatic(listedOnly)).isEmpty();
        assertThat(CookieSections.automatic(switchedOn)).containsExactly("switchover-ack");
    }
}

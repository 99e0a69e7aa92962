package io.jvirt.driver.migration.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.driver.root.MigrationSettings;
import io.jvirt.driver.root.MigrationTlsSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PeerLinkTest {
    private static final MigrationSettings SHORT = new MigrationSettings(
            49152, 49215, "127.0.0.1", "127.0.0.1", Path.of("/nonexistent"), 1, 3, 0, MigrationTlsSettings.DEFAULT);

    @Test
    void aRemoteDestinationGetsTheConfiguredKeepalive() {
        assertThat(PeerLink.withKeepalive("qemu+tcp://10.0.0.2/system", SHORT))
                .isEqualTo("qemu+tcp://10.0.0.2/system?keepalive_interval=1&keepalive_count=3");
        assertThat(PeerLink.withKeepalive("qemu+unix:///system?socket=/run/b.sock", SHORT))
                .isEqualTo("qemu+unix:///system?socket=/run/b.sock&keepalive_interval=1&keepalive_count=3");
    }

    @Test
    void aUriWithItsOwnKeepaliveOrWithoutATransportStaysAsItIs() {
        String own = "qemu+tcp://h/system?keepalive_interval=9&keepalive_count=2";
        assertThat(PeerLink.withKeepalive(own, SHORT)).isEqualTo(own);
        assertThat(PeerLink.withKeepalive("qemu:///embed?root=/tmp/b", SHORT)).isEqualTo("qemu:///embed?root=/tmp/b");
    }
}

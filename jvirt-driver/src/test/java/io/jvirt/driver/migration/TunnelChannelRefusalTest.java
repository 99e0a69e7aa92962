package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt's channel call refused by the destination's driver: for a domain it does not have, and for one that is not
 * receiving a tunnel with several channels. Each time the channel's data is closed unread (its stream is dropped)
 * and the running guest is left as it was.
 */
class TunnelChannelRefusalTest {
    @TempDir
    Path dir;

    private StandInDriver guest;
    private Connection conn;
    private MigrationPhases phases;

    @BeforeEach
    void open() throws Exception {
        guest = StandInDriver.open(dir, UUID.randomUUID(), monitor -> {});
        conn = guest.conn();
        phases = MigrationPhases.of(conn);
    }

    @AfterEach
    void close() throws Exception {
        guest.close();
    }

    @Test
    void theDriverAnnouncesTheExtension() {
        assertThat(conn.supportsFeature(DriverFeature.JVIRT_TUNNEL_CHANNELS)).isTrue();
    }

    @Test
    void aChannelForAnUnknownDomainIsRefusedAndItsDataClosed() {
        Data data = new Data();
        assertThatThrownBy(() -> phases.migrateTunnelChannel("nosuch", 1, data))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_DOMAIN));
        assertThat(data.isOpen()).isFalse();
    }

    @Test
    void aChannelForADomainNotReceivingOneIsRefusedAndTheGuestLeftRunning() {
        Data data = new Data();
        assertThatThrownBy(() -> phases.migrateTunnelChannel("g1", 1, data))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID);
                    assertThat(e.getMessage()).contains("domain 'g1' is not receiving a tunnelled migration");
                });
        assertThat(data.isOpen()).isFalse();
        assertThat(conn.state(conn.lookupByName("g1")).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
    }

    /** A channel nobody should read. */
    private static final class Data implements ReadableByteChannel {
        private boolean open = true;

        @Override
        public int read(ByteBuffer dst) {
            throw new AssertionError("a refused channel is not read");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}

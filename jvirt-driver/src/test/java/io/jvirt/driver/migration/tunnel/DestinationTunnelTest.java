package io.jvirt.driver.migration.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.nativeio.FdInputStream;
import io.jvirt.nativeio.NativeFds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The destination's tunnel pump: bytes from the channel come out of QEMU's pipe end whole, then end of stream. */
class DestinationTunnelTest {

    /** A channel that remembers being closed. */
    private static final class RecordingChannel implements ReadableByteChannel {
        private final ReadableByteChannel in;
        final AtomicBoolean closed = new AtomicBoolean();

        RecordingChannel(byte[] data) {
            this.in = Channels.newChannel(new java.io.ByteArrayInputStream(data));
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return in.read(dst);
        }

        @Override
        public boolean isOpen() {
            return !closed.get();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void everyByteReachesThePipeAndTheChannelIsClosedAfterItsEnd() throws Exception {
        byte[] data = new byte[3 * (1 << 20) + 12345];
        new Random(42).nextBytes(data);
        RecordingChannel channel = new RecordingChannel(data);
        DestinationTunnel tunnel = new DestinationTunnel(channel);
        // Stand in for QEMU: our own copy of the read end, then the tunnel's copy goes as after getfd.
        FdInputStream qemu = new FdInputStream(NativeFds.dup(tunnel.qemuFd()), 1 << 16);
        tunnel.closeQemuEnd();
        tunnel.start("t1");
        byte[] got = qemu.readAllBytes();
        qemu.close();
        assertThat(got).isEqualTo(data);
        tunnel.close();
        assertThat(channel.closed).isTrue();
        assertThat(tunnel.pumpDone()).isTrue();
    }

    @Test
    void closingStopsThePumpAndEndsQemusStream() throws Exception {
        ReadableByteChannel never = new ReadableByteChannel() {
            private final AtomicBoolean open = new AtomicBoolean(true);

            @Override
            public synchronized int read(ByteBuffer dst) throws IOException {
                while (open.get()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                throw new java.nio.channels.AsynchronousCloseException();
            }

            @Override
            public boolean isOpen() {
                return open.get();
            }

            @Override
            public synchronized void close() {
                open.set(false);
                notifyAll();
            }
        };
        DestinationTunnel tunnel = new DestinationTunnel(never);
        FdInputStream qemu = new FdInputStream(NativeFds.dup(tunnel.qemuFd()), 1 << 16);
        tunnel.closeQemuEnd();
        tunnel.start("t2");
        tunnel.close();
        assertThat(tunnel.pumpDone()).isTrue();
        assertThat(qemu.read(new byte[16], 0, 16)).isEqualTo(-1);
        qemu.close();
    }
}

package io.jvirt.driver.migration.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.Pipe;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The source's pipe read end: bytes land in direct and heap buffers alike, then end of stream; close refuses reads. */
class TunnelReadEndTest {

    @Test
    void directAndHeapBuffersGetTheBytesInOrderThenEndOfStream() throws Exception {
        Pipe pipe = Pipe.open(0);
        byte[] data = new byte[40_000];
        new Random(7).nextBytes(data);
        NativeFds.write(pipe.writeFd(), data, 0, data.length);
        NativeFds.close(pipe.writeFd());
        TunnelReadEnd end = new TunnelReadEnd(pipe.readFd());

        ByteBuffer direct = ByteBuffer.allocateDirect(30_000);
        direct.position(100);
        int first = readFully(end, direct);
        ByteBuffer heap = ByteBuffer.allocate(20_000);
        int second = readFully(end, heap);

        assertThat(first).isEqualTo(29_900);
        assertThat(second).isEqualTo(10_100);
        byte[] got = new byte[40_000];
        direct.flip().position(100);
        direct.get(got, 0, first);
        heap.flip().get(got, first, second);
        assertThat(got).isEqualTo(data);
        assertThat(end.read(ByteBuffer.allocateDirect(10))).isEqualTo(-1);
        end.close();
    }

    @Test
    void aClosedEndRefusesReads() throws Exception {
        Pipe pipe = Pipe.open(0);
        TunnelReadEnd end = new TunnelReadEnd(pipe.readFd());
        end.close();
        end.close();
        NativeFds.close(pipe.writeFd());

        assertThatThrownBy(() -> end.read(ByteBuffer.allocateDirect(10)))
                .isInstanceOf(AsynchronousCloseException.class);
    }

    private static int readFully(TunnelReadEnd end, ByteBuffer dst) throws Exception {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = end.read(dst);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}

package io.jvirt.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipeTest {

    @Test
    void bytesWrittenToTheWriteEndComeOutOfTheReadEnd() throws Exception {
        Pipe pipe = Pipe.open(0);
        try {
            byte[] sent = "hello through the kernel".getBytes(StandardCharsets.UTF_8);
            NativeFds.write(pipe.writeFd(), sent, 0, sent.length);
            byte[] got = new byte[64];
            int n = NativeFds.read(pipe.readFd(), got, 0, got.length);
            assertThat(new String(got, 0, n, StandardCharsets.UTF_8)).isEqualTo("hello through the kernel");
        } finally {
            NativeFds.close(pipe.readFd());
            NativeFds.close(pipe.writeFd());
        }
    }

    @Test
    void readReportsEndOfFileOnceTheWriteEndIsClosed() throws Exception {
        Pipe pipe = Pipe.open(0);
        NativeFds.close(pipe.writeFd());
        try {
            assertThat(NativeFds.read(pipe.readFd(), new byte[8], 0, 8)).isEqualTo(-1);
        } finally {
            NativeFds.close(pipe.readFd());
        }
    }

    @Test
    void requestedSizeBecomesThePipeBufferSize() throws Exception {
        Pipe pipe = Pipe.open(1 << 20);
        try {
            assertThat(NativeFds.pipeSize(pipe.writeFd())).isEqualTo(1 << 20);
        } finally {
            NativeFds.close(pipe.readFd());
            NativeFds.close(pipe.writeFd());
        }
    }

    @Test
    void streamsCarryMoreDataThanTheirBuffersAcrossThreads() throws Exception {
        Pipe pipe = Pipe.open(0);
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(payload);
        Thread writer = Thread.ofPlatform().name("pipe-writer").start(() -> {
            try (FdOutputStream out = new FdOutputStream(pipe.writeFd(), 8192)) {
                out.write(payload);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (FdInputStream in = new FdInputStream(pipe.readFd(), 4096)) {
            in.transferTo(received);
        }
        writer.join();
        assertThat(received.toByteArray()).isEqualTo(payload);
    }

    @Test
    void aClosedStreamRefusesFurtherReads() throws Exception {
        Pipe pipe = Pipe.open(0);
        NativeFds.close(pipe.writeFd());
        FdInputStream in = new FdInputStream(pipe.readFd(), 16);
        in.close();
        in.close();
        assertThatThrownBy(() -> in.read(new byte[1], 0, 1)).isInstanceOf(NativeIOException.class);
    }

    @Test
    void negativeSizeIsRejected() {
        assertThatThrownBy(() -> Pipe.open(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.jvirt.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {
    @TempDir
    Path dir;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String readString(UnixSocket socket, int max) throws NativeIOException {
        byte[] buffer = new byte[max];
        int n = socket.read(buffer, 0, max);
        return n < 0 ? null : new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void clientAndServerExchangeBytesBothWays() throws Exception {
        try (UnixServerSocket server = UnixServerSocket.bind(dir.resolve("s.sock"))) {
            CompletableFuture<UnixSocket> accepted = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return server.accept();
                        } catch (NativeIOException e) {
                            throw new RuntimeException(e);
                        }
                    },
                    r -> Thread.ofPlatform().start(r));
            try (UnixSocket client = UnixSocket.connect(server.path());
                    UnixSocket peer = accepted.get(5, TimeUnit.SECONDS)) {
                client.write(ascii("ping"), 0, 4);
                assertThat(readString(peer, 16)).isEqualTo("ping");
                peer.write(ascii("pong!"), 0, 5);
                assertThat(readString(client, 16)).isEqualTo("pong!");
            }
        }
        assertThat(dir.resolve("s.sock")).doesNotExist();
    }

    @Test
    void passedPipeWriteEndDeliversIntoTheOriginalReadEnd() throws Exception {
        Pipe pipe = Pipe.open(0);
        try (SocketPair pair = UnixSocket.pair()) {
            pair.first().write(ascii("getfd"), 0, 5, pipe.writeFd());
            NativeFds.close(pipe.writeFd());

            byte[] buffer = new byte[16];
            ReceivedData received = pair.second().recv(buffer, 0, buffer.length);
            assertThat(new String(buffer, 0, received.bytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("getfd");
            assertThat(received.fds()).hasSize(1);

            int passed = received.fds().getFirst();
            assertThat(passed).isNotNegative();
            NativeFds.write(passed, ascii("via passed fd"), 0, 13);
            NativeFds.close(passed);

            byte[] out = new byte[32];
            int n = NativeFds.read(pipe.readFd(), out, 0, out.length);
            assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo("via passed fd");
            assertThat(NativeFds.read(pipe.readFd(), out, 0, out.length))
                    .as("EOF: every write end, passed copy included, is closed")
                    .isEqualTo(-1);
        } finally {
            NativeFds.close(pipe.readFd());
        }
    }

    @Test
    void severalFdsTravelInOneMessageAndLargeWritesArriveWhole() throws Exception {
        Pipe a = Pipe.open(0);
        Pipe b = Pipe.open(0);
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        try (SocketPair pair = UnixSocket.pair()) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    pair.first().write(big, 0, big.length, a.writeFd(), b.writeFd());
                } catch (NativeIOException e) {
                    throw new AssertionError(e);
                }
            });
            int total = 0;
            int fdCount = 0;
            byte[] buffer = new byte[70_000];
            while (total < big.length) {
                ReceivedData data = pair.second().recv(buffer, 0, buffer.length);
                assertThat(data.bytes()).isPositive();
                total += data.bytes();
                fdCount += data.fds().size();
                data.fds().forEach(NativeFds::closeQuietly);
            }
            writer.join();
            assertThat(total).isEqualTo(big.length);
            assertThat(fdCount).isEqualTo(2);
        } finally {
            for (int fd : new int[] {a.readFd(), a.writeFd(), b.readFd(), b.writeFd()}) {
                NativeFds.close(fd);
            }
        }
    }

    @Test
    void readReturnsEndOfStreamWhenThePeerCloses() throws Exception {
        try (SocketPair pair = UnixSocket.pair()) {
            pair.first().write(ascii("last"), 0, 4);
            pair.first().close();
            assertThat(readString(pair.second(), 16)).isEqualTo("last");
            assertThat(readString(pair.second(), 16)).isNull();
            assertThat(pair.second().recv(new byte[4], 0, 4).isEndOfStream()).isTrue();
        }
    }

    @Test
    void shutdownOutputLetsThePeerSeeEndOfStreamWhileTheSocketStaysOpen() throws Exception {
        try (SocketPair pair = UnixSocket.pair()) {
            pair.first().shutdownOutput();
            assertThat(readString(pair.second(), 4)).isNull();
            pair.second().write(ascii("still"), 0, 5);
            assertThat(readString(pair.first(), 16)).isEqualTo("still");
        }
    }

    @Test
    void closeWakesAThreadBlockedInRead() throws Exception {
        try (SocketPair pair = UnixSocket.pair()) {
            UnixSocket socket = pair.second();
            CompletableFuture<Integer> result = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().name("blocked-reader").start(() -> {
                try {
                    result.complete(socket.read(new byte[8], 0, 8));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> reader.getState() == Thread.State.RUNNABLE || result.isDone());
            socket.close();
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            reader.join(5000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(socket.isClosed()).isTrue();
            assertThatThrownBy(() -> socket.write(ascii("x"), 0, 1)).isInstanceOf(NativeIOException.class);
        }
    }

    @Test
    void closeReleasesTheDescriptor() throws Exception {
        SocketPair pair = UnixSocket.pair();
        int fd = pair.first().fd();
        Path procFd = Path.of("/proc/self/fd/" + fd);
        assertThat(Files.exists(procFd, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isTrue();
        pair.close();
        pair.first().close();
        boolean stillASocket = Files.exists(procFd, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && Files.readSymbolicLink(procFd).toString().startsWith("socket:");
        assertThat(stillASocket).as("fd %d is still an open socket", fd).isFalse();
    }

    @Test
    void closingTheServerWakesABlockedAcceptAndRemovesTheSocketFile() throws Exception {
        Path path = dir.resolve("a.sock");
        UnixServerSocket server = UnixServerSocket.bind(path);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofPlatform().name("blocked-accept").start(() -> {
            try {
                server.accept().close();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(path));
        server.close();
        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(NativeIOException.class);
        assertThat(path).doesNotExist();
    }

    @Test
    void connectingToAMissingPathNamesThePathAndErrno() {
        Path missing = dir.resolve("nobody.sock");
        assertThatThrownBy(() -> UnixSocket.connect(missing))
                .isInstanceOf(NativeIOException.class)
                .hasMessageContaining(missing.toString())
                .satisfies(e -> assertThat(((NativeIOException) e).errno()).isEqualTo(2));
    }

    @Test
    void overlongPathIsRefused() {
        Path longPath = dir.resolve("x".repeat(120));
        assertThatThrownBy(() -> UnixSocket.connect(longPath))
                .isInstanceOf(NativeIOException.class)
                .hasMessageContaining("longer than");
    }
}

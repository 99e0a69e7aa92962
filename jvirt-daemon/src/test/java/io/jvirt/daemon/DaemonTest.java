package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.tls.PkiFiles;
import io.jvirt.rpc.tls.TlsContext;
import io.jvirt.rpc.tls.TlsPriority;
import io.jvirt.rpc.tls.TlsRole;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's sockets over a {@link FakeConnection}: modes, stale files, the client limit, TCP. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DaemonTest {
    @TempDir
    Path tmp;

    private DaemonConfig config() {
        return DaemonConfig.forRoot(tmp, tmp.resolve("run"));
    }

    @Test
    void socketsGetTheirModesAndGoAwayOnClose() throws IOException {
        try (Daemon d = Daemon.start(config(), new FakeConnection(), false)) {
            assertThat(Files.getPosixFilePermissions(d.rwSocket())).isEqualTo(UnixSockets.permissions(0700));
            assertThat(Files.getPosixFilePermissions(d.roSocket())).isEqualTo(UnixSockets.permissions(0777));
        }
        assertThat(tmp.resolve("run/jvirt-sock")).doesNotExist();
        assertThat(tmp.resolve("run/jvirt-sock-ro")).doesNotExist();
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsRefused() throws IOException {
        Files.createDirectories(tmp.resolve("run"));
        Files.writeString(tmp.resolve("run/jvirt-sock"), "stale");
        try (Daemon d = Daemon.start(config(), new FakeConnection(), false)) {
            assertThat(Files.isRegularFile(d.rwSocket())).isFalse();
            assertThatThrownBy(() -> Daemon.start(config(), new FakeConnection(), false))
                    .isInstanceOf(VirtException.class)
                    .hasMessageContaining("in use by another daemon");
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(d.rwSocket()))) {
                WireClient c = new WireClient(ch, ch);
                assertThat(c.invoke(RemoteProcedures.CONNECT_GET_HOSTNAME, null))
                        .isEqualTo("fakehost");
            }
        }
    }

    @Test
    void clientsBeyondTheLimitAreClosed() throws IOException {
        try (Daemon d = Daemon.start(config().withLimits(1, 5), new FakeConnection(), false);
                SocketChannel first = SocketChannel.open(UnixDomainSocketAddress.of(d.rwSocket()))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> d.clientCount() == 1);
            try (SocketChannel second = SocketChannel.open(UnixDomainSocketAddress.of(d.roSocket()))) {
                assertThat(new WireClient(second, second).next()).isEmpty();
            }
            assertThat(new WireClient(first, first).invoke(RemoteProcedures.CONNECT_GET_TYPE, null))
                    .isEqualTo("QEMU");
        }
    }

    @Test
    void tcpListensOnTheAskedAddress() throws IOException {
        try (Daemon d = Daemon.start(
                config().withTcp(new DaemonConfig.TcpListen("127.0.0.1", 0)), new FakeConnection(), false)) {
            var addr = d.tcpAddress().orElseThrow();
            assertThat(d.listenAddresses()).contains("tcp://127.0.0.1:" + addr.getPort());
            try (SocketChannel ch = SocketChannel.open(addr)) {
                WireClient c = new WireClient(ch, ch);
                assertThat(c.invoke(RemoteProcedures.CONNECT_IS_SECURE, null)).isZero();
            }
        }
    }

    @Test
    void tlsListenerWithoutItsFilesDoesNotStart() {
        Path pki = tmp.resolve("pki");
        TlsContext.Settings tls = new TlsContext.Settings(
                TlsRole.SERVER,
                PkiFiles.in(pki, TlsRole.SERVER),
                true,
                true,
                Optional.empty(),
                TlsPriority.parse(TlsPriority.DEFAULT));
        assertThatThrownBy(() -> Daemon.start(
                        config().withTls(new DaemonConfig.TlsListen("127.0.0.1", 0, tls)), new FakeConnection(), false))
                .isInstanceOf(VirtException.class)
                .hasMessage(
                        "Cannot read CA certificate '" + pki.resolve("cacert.pem") + "': No such file or directory");
        assertThat(tmp.resolve("run/jvirt-sock")).doesNotExist();
    }
}

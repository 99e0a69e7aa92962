package io.jvirt.rpc.tls;

import static io.jvirt.rpc.tls.TestCerts.ca;
import static io.jvirt.rpc.tls.TestCerts.client;
import static io.jvirt.rpc.tls.TestCerts.make;
import static io.jvirt.rpc.tls.TestCerts.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real JSSE sessions over loopback: libvirt's opening (handshake, check, confirmation byte) and its refusals. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsChannelTest {
    private static final X509Certificate CA = make(ca("libvirt CA"), null);

    @TempDir
    Path dir;

    private ServerSocketChannel listener;

    @BeforeEach
    void listen() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    private TlsContext context(TlsRole role, X509Certificate cert, Optional<List<String>> dns) throws IOException {
        Path d = Files.createDirectories(dir.resolve(role.prefix()));
        PkiFiles files = PkiFiles.in(d, role);
        TestCerts.write(files.caCert(), CA);
        if (cert != null) {
            TestCerts.write(files.cert(), cert);
            TestCerts.write(files.key(), TestCerts.KEY.getPrivate());
        }
        return TlsContext.create(new TlsContext.Settings(role, files, true, true, dns, TlsPriority.parse("NORMAL")));
    }

    private CompletableFuture<TlsChannel> serve(TlsContext ctx) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return TlsChannel.accept(ctx, listener.accept(), Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private SocketChannel dial() throws IOException {
        return SocketChannel.open(listener.getLocalAddress());
    }

    @Test
    void confirmedSessionCarriesBytesBothWays() throws Exception {
        TlsContext srv =
                context(TlsRole.SERVER, make(server("localhost"), CA), Optional.of(List.of("C=UK,CN=libvirt")));
        TlsContext cli = context(TlsRole.CLIENT, make(client("libvirt"), CA), Optional.empty());
        CompletableFuture<TlsChannel> accepted = serve(srv);
        try (TlsChannel c = TlsChannel.connect(cli, dial(), "localhost");
                TlsChannel s = accepted.get()) {
            assertThat(s.peerDn()).contains("C=UK,CN=libvirt");
            c.write(new ByteBuffer[] {
                ByteBuffer.wrap("hello ".getBytes()),
                ByteBuffer.allocateDirect(5).put("world".getBytes()).flip()
            });
            ByteBuffer got = ByteBuffer.allocateDirect(11);
            while (got.hasRemaining()) {
                s.read(got);
            }
            assertThat(StandardCharsets.UTF_8.decode(got.flip()).toString()).isEqualTo("hello world");
        }
    }

    @Test
    void refusedClientReadsNoConfirmation() throws Exception {
        TlsContext srv =
                context(TlsRole.SERVER, make(server("localhost"), CA), Optional.of(List.of("C=UK,CN=dogfood")));
        TlsContext cli = context(TlsRole.CLIENT, make(client("libvirt"), CA), Optional.empty());
        CompletableFuture<TlsChannel> accepted = serve(srv);
        assertThatThrownBy(() -> TlsChannel.connect(cli, dial(), "localhost"))
                .isInstanceOf(VirtException.class)
                .hasMessage("Unable to read TLS confirmation: Input/output error");
        assertThat(accepted).failsWithin(Duration.ofSeconds(30));
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        TlsContext srv = context(TlsRole.SERVER, make(server("localhost"), CA), Optional.empty());
        TlsContext cli = context(TlsRole.CLIENT, null, Optional.empty());
        CompletableFuture<TlsChannel> accepted = serve(srv);
        assertThatThrownBy(() -> TlsChannel.connect(cli, dial(), "localhost"))
                .hasMessage("Unable to read TLS confirmation: Input/output error");
        assertThat(accepted).failsWithin(Duration.ofSeconds(30));
    }

    @Test
    void serverOfAnotherNameIsRefusedByTheClient() throws Exception {
        TlsContext srv = context(TlsRole.SERVER, make(server("elsewhere.example"), CA), Optional.empty());
        TlsContext cli = context(TlsRole.CLIENT, make(client("libvirt"), CA), Optional.empty());
        CompletableFuture<TlsChannel> accepted = serve(srv);
        assertThatThrownBy(() -> TlsChannel.connect(cli, dial(), "localhost"))
                .hasMessage("authentication failed: Failed to verify peer's certificate")
                .hasRootCauseMessage("Certificate [session] owner does not match the hostname localhost");
        // The server may have sent its byte or found the socket closed: either way it ends.
        accepted.handle((ch, e) -> ch).thenAccept(TlsChannelTest::closeQuietly).get();
    }

    @Test
    void silentServerEndsTheClientsHandshakeAtItsDeadline() throws Exception {
        TlsContext cli = context(TlsRole.CLIENT, make(client("libvirt"), CA), Optional.empty());
        try (SocketChannel dialled = dial();
                SocketChannel silent = listener.accept()) {
            assertThatThrownBy(() -> TlsChannel.connect(cli, dialled, "localhost", Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(
                            VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED))
                    .hasMessage("authentication failed: TLS handshake failed: no answer within 300 ms");
            assertThat(dialled.isOpen()).isFalse();
            assertThat(silent.isOpen()).isTrue();
        }
    }

    private static void closeQuietly(TlsChannel ch) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.jvirt.driver.migration.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.wire.QmpMonitor;
import io.jvirt.testing.FakeQmp;
import io.jvirt.testing.ReceivedCommand;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** graphics_uri parsing and the client_migrate_info the source sends so SPICE clients follow the guest. */
class GraphicsRelocationTest {
    private FakeQmp qmp;
    private Monitor monitor;

    @BeforeEach
    void connect() throws Exception {
        qmp = FakeQmp.start();
        monitor = QmpMonitor.connect(qmp.socketPath(), "g1", MonitorListener.ignoring(), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        monitor.close();
        qmp.close();
    }

    @Test
    void spiceUriCarriesPortsAndTheDecodedSubject() {
        CookieGraphics g = GraphicsRelocation.fromUri(
                "spice://dst.example.org:5901/?tlsPort=5902&tlsSubject=C%3DXX%2CO%3DExample%2CCN%3Ddst");
        assertThat(g.isSpice()).isTrue();
        assertThat(g.listen()).isEqualTo("dst.example.org");
        assertThat(g.port()).isEqualTo(5901);
        assertThat(g.tlsPort()).isEqualTo(5902);
        assertThat(g.certSubject()).isEqualTo("C=XX,O=Example,CN=dst");
    }

    @Test
    void spiceUriWithoutQueryHasNoTls() {
        CookieGraphics g = GraphicsRelocation.fromUri("spice://10.1.2.3:5900");
        assertThat(g.port()).isEqualTo(5900);
        assertThat(g.tlsPort()).isLessThanOrEqualTo(0);
        assertThat(g.certSubject()).isNull();
    }

    @Test
    void unknownQueryKeysAreIgnored() {
        CookieGraphics g = GraphicsRelocation.fromUri("spice://h:5900/?colour=blue&tlsPort=5909");
        assertThat(g.tlsPort()).isEqualTo(5909);
    }

    @Test
    void vncUriIsAVncDisplay() {
        CookieGraphics g = GraphicsRelocation.fromUri("vnc://dst:5900");
        assertThat(g.isSpice()).isFalse();
        assertThat(g.type()).isEqualTo("vnc");
        assertThat(g.port()).isEqualTo(5900);
        assertThat(g.listen()).isEqualTo("dst");
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> GraphicsRelocation.fromUri("rdp://dst:3389"))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
                    assertThat(e.getMessage()).contains("unsupported graphics type 'rdp'");
                });
    }

    @Test
    void badPortsAndShapesAreInvalidArguments() {
        assertThatThrownBy(() -> GraphicsRelocation.fromUri("spice://dst:5900/?tlsPort=fast"))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
                    assertThat(e.getMessage()).contains("tlsPort 'fast' is not a number");
                });
        for (String bad : new String[] {"spice://dst:port", "spice:dst", "dst:5900", "spice://dst:5900/ x"}) {
            assertThatThrownBy(() -> GraphicsRelocation.fromUri(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(VirtException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
                        assertThat(e.getMessage()).contains("graphics URI");
                    });
        }
    }

    @Test
    void spiceTargetIsSentAsClientMigrateInfo() throws Exception {
        GraphicsRelocation.relocate(
                monitor, "g1", CookieGraphics.spice(5901, 5902, "192.0.2.7", "CN=dst"), null, "198.51.100.1");
        ReceivedCommand info = qmp.awaitCommand("client_migrate_info", Duration.ofSeconds(5));
        assertThat(info.arguments())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "protocol",
                        "spice",
                        "hostname",
                        "192.0.2.7",
                        "port",
                        5901,
                        "tls-port",
                        5902,
                        "cert-subject",
                        "CN=dst"));
    }

    @Test
    void withoutTlsOnlyThePlainPortGoes() throws Exception {
        GraphicsRelocation.relocate(monitor, "g1", CookieGraphics.spice(5901, -1, "192.0.2.7", null), null, "x");
        ReceivedCommand info = qmp.awaitCommand("client_migrate_info", Duration.ofSeconds(5));
        assertThat(info.arguments()).containsOnlyKeys("protocol", "hostname", "port");
    }

    @Test
    void wildcardOrEmptyListenBecomesTheDestinationHost() throws Exception {
        for (String listen : new String[] {"0.0.0.0", "::", ""}) {
            GraphicsRelocation.relocate(
                    monitor, "g1", CookieGraphics.spice(5901, -1, listen, null), null, "dst.example.org");
            ReceivedCommand info = qmp.awaitCommand("client_migrate_info", Duration.ofSeconds(5));
            assertThat(info.arguments().get("hostname")).as("listen " + listen).isEqualTo("dst.example.org");
        }
    }

    @Test
    void ipv6GraphicsUriHostIsTheBareAddress() {
        assertThat(GraphicsRelocation.fromUri("spice://[2001:db8::7]:5901").listen())
                .isEqualTo("2001:db8::7");
    }

    @Test
    void graphicsUriOverridesTheCookie() throws Exception {
        GraphicsRelocation.relocate(
                monitor,
                "g1",
                CookieGraphics.spice(5901, -1, "192.0.2.7", null),
                "spice://proxy.example.org:6000/?tlsPort=6001",
                "dst");
        ReceivedCommand info = qmp.awaitCommand("client_migrate_info", Duration.ofSeconds(5));
        assertThat(info.arguments())
                .containsEntry("hostname", "proxy.example.org")
                .containsEntry("port", 6000)
                .containsEntry("tls-port", 6001);
    }

    @Test
    void vncPortlessAndAbsentDisplaysSendNothing() throws Exception {
        GraphicsRelocation.relocate(monitor, "g1", CookieGraphics.vnc(5900, "192.0.2.7"), null, "dst");
        GraphicsRelocation.relocate(monitor, "g1", CookieGraphics.spice(-1, -1, "192.0.2.7", null), null, "dst");
        GraphicsRelocation.relocate(monitor, "g1", null, null, "dst");
        GraphicsRelocation.relocate(
                monitor, "g1", CookieGraphics.spice(5901, -1, "192.0.2.7", null), "vnc://dst:5900", "dst");
        assertThat(qmp.commandNames()).doesNotContain("client_migrate_info");
    }

    @Test
    void aQemuErrorIsOnlyLogged() throws Exception {
        qmp.expect("client_migrate_info").replyError("GenericError", "SPICE is not in use");
        assertThatCode(() -> GraphicsRelocation.relocate(
                        monitor, "g1", CookieGraphics.spice(5901, 5902, "192.0.2.7", null), null, "dst"))
                .doesNotThrowAnyException();
        assertThat(qmp.commandNames()).contains("client_migrate_info");
        monitor.execute("query-status", Map.of());
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.ConfFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics_listen}: off unless set; ADDR:PORT or [V6]:PORT; anything else refused naming the key. */
class MetricsListenTest {
    @TempDir
    Path tmp;

    private ConfFile conf(String text) throws IOException {
        Path f = tmp.resolve("jvirtd.conf");
        Files.writeString(f, text);
        return DaemonConfigLoader.confFile(new String[] {"--root", tmp.toString(), "--config", f.toString()});
    }

    @Test
    void offUnlessSet() throws IOException {
        assertThat(DaemonConfigLoader.metricsListen(conf("listen_tcp = 0\n"))).isEmpty();
        assertThat(DaemonConfigLoader.metricsListen(DaemonConfigLoader.confFile(new String[0])))
                .isEmpty();
    }

    @Test
    void addressAndPort() throws IOException {
        assertThat(DaemonConfigLoader.metricsListen(conf("metrics_listen = \"127.0.0.1:9177\"\n")))
                .contains(new InetSocketAddress("127.0.0.1", 9177));
        assertThat(DaemonConfigLoader.metricsListen(conf("metrics_listen = \"[::1]:0\"\n")))
                .contains(new InetSocketAddress("::1", 0));
    }

    @Test
    void badValuesNameTheKey() {
        for (String bad : new String[] {"9177", "127.0.0.1", "127.0.0.1:", "127.0.0.1:http", ":9177", "h:70000"}) {
            assertThatThrownBy(() -> DaemonConfigLoader.metricsListen(conf("metrics_listen = \"" + bad + "\"\n")))
                    .isInstanceOfSatisfying(
                            VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONF_SYNTAX))
                    .hasMessageContaining(
                            "setting 'metrics_listen' must be ADDR:PORT such as \"127.0.0.1:9177\", not '" + bad + "'");
        }
    }

    @Test
    void aBusyPortStopsTheStartNamingTheKey() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = new InetSocketAddress("127.0.0.1", busy.getLocalPort());
            assertThatThrownBy(() -> Daemon.start(config(), new FakeConnection(), false, Optional.of(taken)))
                    .isInstanceOf(VirtException.class)
                    .hasMessageContaining("cannot listen on metrics_listen " + taken);
            assertThat(tmp.resolve("run/jvirt-sock"))
                    .as("the sockets are closed again")
                    .doesNotExist();
        }
    }

    @Test
    void servesMetricsAtSlashMetricsOnly() throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        try (Daemon d = Daemon.start(config(), new FakeConnection(), false, Optional.of(any));
                HttpClient http = HttpClient.newHttpClient()) {
            InetSocketAddress bound = d.metricsAddress().orElseThrow();
            assertThat(d.listenAddresses()).contains("http://127.0.0.1:" + bound.getPort() + "/metrics");
            URI base = URI.create("http://127.0.0.1:" + bound.getPort());
            HttpResponse<String> ok = http.send(
                    HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("jvirt_clients_connected 0.0", "jvirt_qemu_processes ");
            HttpResponse<String> other = http.send(
                    HttpRequest.newBuilder(base.resolve("/other")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(base.resolve("/metrics"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    private DaemonConfig config() {
        return DaemonConfig.forRoot(tmp, tmp.resolve("run"));
    }
}

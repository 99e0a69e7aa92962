package io.jvirt.daemon.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The opt-in Prometheus endpoint ({@code metrics_listen}): {@code GET /metrics} in Prometheus' text format, from the
 * JDK's HTTP server. Anything else is 404 (another path) or 405 (another method). No authentication: bind it to
 * loopback or a management network.
 *
 * <p>Threading: requests are served one at a time on a single virtual thread.
 */
public final class MetricsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsServer.class.getName());

    private final HttpServer server;
    private final PrometheusMeterRegistry registry;
    private final HostGauges host;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("jvirtd-metrics").factory());

    private MetricsServer(HttpServer server, PrometheusMeterRegistry registry, HostGauges host) {
        this.server = server;
        this.registry = registry;
        this.host = host;
    }

    /** Binds {@code address} and serves {@code registry}; {@code host} is refreshed before each scrape. */
    public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry, HostGauges host) {
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE, "cannot listen on metrics_listen " + address + ": " + e);
        }
        MetricsServer s = new MetricsServer(http, registry, host);
        http.createContext("/", s::handle);
        http.setExecutor(s.executor);
        http.start();
        return s;
    }

    /** The bound address (with the real port when port 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/metrics")) {
                reply(ex, 404, "not found: try /metrics\n");
                return;
            }
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                reply(ex, 405, "method not allowed\n");
                return;
            }
            String body;
            try {
                host.refresh();
                body = registry.scrape();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "metrics scrape failed", e);
                reply(ex, 500, "scrape failed: " + e.getMessage() + "\n");
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            reply(ex, 200, body);
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : b.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }
}

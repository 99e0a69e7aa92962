package io.jvirt.daemon.observe;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainEventListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * A daemon's observers and, with {@code metrics_listen}, its Prometheus endpoint. The daemon owns the registry: a
 * Prometheus one when metrics are served, else an empty composite, whose meters do nothing (so the call path is the
 * same either way). The migration phase log is written whether or not metrics are served.
 *
 * <p>Threading: built and {@linkplain #serve served} on the daemon's start thread; the observers run on call and
 * event threads.
 */
public final class Observability implements AutoCloseable {
    private final MeterRegistry registry;
    private final CallObserver calls;
    private final MigrationTracker migrations;
    private final Connection driver;
    private final IntSupplier clients;
    private volatile MetricsServer server;

    private Observability(MeterRegistry registry, Connection driver, IntSupplier clients) {
        this.registry = registry;
        this.driver = driver;
        this.clients = clients;
        this.migrations = new MigrationTracker(registry);
        RpcMeters rpc = new RpcMeters(registry);
        this.calls = new CallObserver() {
            @Override
            public void started(String procedure, Object args, String domain) {
                migrations.started(procedure, args, domain);
            }

            @Override
            public void finished(String procedure, Object args, String domain, int errorCode, long nanos) {
                rpc.finished(procedure, args, domain, errorCode, nanos);
                migrations.finished(procedure, args, domain, errorCode, nanos);
            }
        };
    }

    /** The observers of a daemon on {@code driver}; meters are kept only if {@code metricsListen} is set. */
    public static Observability create(
            Optional<InetSocketAddress> metricsListen, Connection driver, IntSupplier clients) {
        MeterRegistry registry = metricsListen.isPresent()
                ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                : new CompositeMeterRegistry();
        return new Observability(registry, driver, clients);
    }

    /** Starts the endpoint on {@code address}, if metrics are on; call once the daemon's sockets are bound. */
    public void serve(Optional<InetSocketAddress> address) {
        if (address.isPresent() && registry instanceof PrometheusMeterRegistry prometheus) {
            server = MetricsServer.start(address.get(), prometheus, new HostGauges(registry, driver, clients));
        }
    }

    /** Where {@code /metrics} is served, once {@link #serve} bound it. */
    public Optional<InetSocketAddress> metricsAddress() {
        MetricsServer s = server;
        return s == null ? Optional.empty() : Optional.of(s.address());
    }

    public CallObserver calls() {
        return calls;
    }

    /** The driver events the observers need (job-completed, for migration downtime and bytes). */
    public DomainEventListener events() {
        return migrations;
    }

    @Override
    public void close() {
        MetricsServer s = server;
        if (s != null) {
            s.close();
        }
    }
}

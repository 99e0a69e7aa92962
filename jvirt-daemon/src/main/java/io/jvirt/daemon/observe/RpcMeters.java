package io.jvirt.daemon.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The RPC calls a daemon answers, by procedure and outcome, with their latency: one timer
 * ({@code jvirt_rpc_calls_seconds_count/_sum/_max}).
 *
 * <p>Threading: {@link #finished} on call threads; Micrometer's registry is thread-safe.
 */
public final class RpcMeters implements CallObserver {
    private final MeterRegistry registry;

    public RpcMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void finished(String procedure, Object args, String domain, int errorCode, long nanos) {
        Timer.builder("jvirt.rpc.calls")
                .description("RPC calls answered, by procedure and outcome")
                .tag("procedure", procedure)
                .tag("outcome", errorCode == 0 ? "ok" : "error")
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}

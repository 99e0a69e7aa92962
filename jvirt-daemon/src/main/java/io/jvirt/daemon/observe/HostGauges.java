package io.jvirt.daemon.observe;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.VirtException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What the host holds now, read when metrics are scraped: clients connected, domains by state, and QEMU processes
 * (one per active domain). The domain count is taken once per scrape ({@link #refresh}), not once per gauge.
 *
 * <p>Threading: {@link #refresh} and the gauges run on the metrics server's thread.
 */
public final class HostGauges {
    private static final System.Logger LOG = System.getLogger(HostGauges.class.getName());

    private final Connection driver;
    private volatile Map<DomainState, Integer> byState = new EnumMap<>(DomainState.class);

    public HostGauges(MeterRegistry registry, Connection driver, IntSupplier clients) {
        this.driver = driver;
        Gauge.builder("jvirt.clients.connected", clients::getAsInt)
                .description("Clients connected to the daemon's sockets")
                .register(registry);
        for (DomainState s : DomainState.values()) {
            Gauge.builder("jvirt.domains", () -> byState.getOrDefault(s, 0))
                    .description("Domains by state")
                    .tag("state", s.xmlName())
                    .register(registry);
        }
        Gauge.builder("jvirt.qemu.processes", this::active)
                .description("QEMU processes the driver runs (one per active domain)")
                .register(registry);
    }

    /** Counts the domains by state. A domain that goes away meanwhile is left out. */
    public void refresh() {
        Map<DomainState, Integer> counts = new EnumMap<>(DomainState.class);
        for (DomainRef d : driver.listAllDomains(0)) {
            try {
                counts.merge(driver.state(d).state(), 1, Integer::sum);
            } catch (VirtException e) {
                LOG.log(System.Logger.Level.DEBUG, "domain {0} went away while counted: {1}", d.name(), e.getMessage());
            }
        }
        byState = counts;
    }

    private int active() {
        return byState.entrySet().stream()
                .filter(e -> e.getKey().isActive())
                .mapToInt(Map.Entry::getValue)
                .sum();
    }
}

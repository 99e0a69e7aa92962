package io.jvirt.remote.golden;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainInfo;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.JobInfo;
import io.jvirt.api.VirtException;
import io.jvirt.remote.RemoteConnection;
import io.jvirt.remote.RemoteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The session the golden frames hold, driven through the client's public API: the capture runs it against a real
 * libvirtd (test driver, domain "test"), the replay test runs it again against the recorded answers. Both must
 * make the same calls in the same order.
 */
public final class Scenario {
    private Scenario() {}

    /** What the client's API returned. {@code jobError} is set instead of {@code job} if the call failed. */
    public record Result(
            String serverUri,
            String hostname,
            String type,
            long version,
            long libVersion,
            List<String> domainNames,
            DomainRef domain,
            DomainInfo info,
            DomainStatus running,
            String xml,
            boolean p2p,
            JobInfo job,
            VirtException jobError,
            List<DomainEvent> events,
            DomainStatus paused,
            DomainStatus resumed,
            VirtException missing,
            boolean aliveBeforeClose) {}

    /**
     * Runs the scenario against the libvirt server at {@code uri}.
     *
     * @param uri              where to connect
     * @param keepaliveBarrier returns once the server has PINGed and the client PONGed
     */
    public static Result run(String uri, Runnable keepaliveBarrier) throws Exception {
        BlockingQueue<DomainEvent> events = new LinkedBlockingQueue<>();
        try (RemoteConnection c = RemoteConnection.open(uri, RemoteOptions.DEFAULTS)) {
            String serverUri = c.serverUri();
            String hostname = c.hostname();
            String type = c.hypervisorType();
            long version = c.hypervisorVersion();
            long libVersion = c.libVersion();
            List<String> names =
                    c.listAllDomains(0).stream().map(DomainRef::name).toList();
            DomainRef dom = c.lookupByName("test");
            DomainInfo info = c.info(dom);
            DomainStatus running = c.state(dom);
            String xml = c.xmlDesc(dom, 0);
            boolean p2p = c.supportsFeature(DriverFeature.MIGRATION_P2P);
            JobInfo job = null;
            VirtException jobError = null;
            try {
                job = c.jobInfo(dom);
            } catch (VirtException e) {
                jobError = e;
            }
            List<DomainEvent> seen = new ArrayList<>();
            VirtException missing = null;
            DomainStatus paused;
            DomainStatus resumed;
            try (AutoCloseable _ = c.addDomainEventListener(events::add)) {
                c.suspend(dom);
                seen.add(next(events));
                paused = c.state(dom);
                c.resume(dom);
                seen.add(next(events));
                resumed = c.state(dom);
                try {
                    c.lookupByName("nosuch");
                } catch (VirtException e) {
                    missing = e;
                }
                keepaliveBarrier.run();
            }
            boolean alive = c.isAlive();
            return new Result(
                    serverUri,
                    hostname,
                    type,
                    version,
                    libVersion,
                    names,
                    dom,
                    info,
                    running,
                    xml,
                    p2p,
                    job,
                    jobError,
                    seen,
                    paused,
                    resumed,
                    missing,
                    alive);
        }
    }

    private static DomainEvent next(BlockingQueue<DomainEvent> events) throws InterruptedException {
        DomainEvent e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no domain event within 10 s");
        }
        return e;
    }
}

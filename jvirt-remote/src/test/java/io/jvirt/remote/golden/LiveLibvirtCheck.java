package io.jvirt.remote.golden;

import io.jvirt.api.DomainRef;
import io.jvirt.api.DriverFeature;
import io.jvirt.remote.RemoteConnection;
import io.jvirt.remote.RemoteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Drives the client against live libvirtd URIs and prints what it sees; with no URI it starts a
 * {@link PrivateLibvirtd} and checks {@code test:///default} (the full {@link Scenario}) and
 * {@code qemu:///system} (read-only questions, a 7 s idle spell under 2 s client keepalive, read-only open).
 * Run by {@code scripts/remote-against-libvirtd}; outside CI. Exits non-zero on the first failure.
 */
public final class LiveLibvirtCheck {
    private LiveLibvirtCheck() {}

    @SuppressWarnings("try") // PrivateLibvirtd.close() may be interrupted; main passes that on
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            for (String uri : args) {
                check(uri);
            }
            return;
        }
        Path tmp = Files.createTempDirectory("jvirt-live");
        try (PrivateLibvirtd daemon = PrivateLibvirtd.start(tmp)) {
            Scenario.Result r = Scenario.run("test+unix:///default?socket=" + daemon.socket(), () -> {});
            System.out.println("test:///default scenario: " + r);
            check("qemu+unix:///system?socket=" + daemon.socket());
            check("qemu+unix:///system?readonly=1&socket=" + daemon.socket().resolveSibling("libvirt-sock-ro"));
        }
        System.out.println("OK");
    }

    private static void check(String uri) throws InterruptedException {
        RemoteOptions opts = RemoteOptions.DEFAULTS.withKeepalive(Duration.ofSeconds(2), 3);
        try (RemoteConnection c = RemoteConnection.open(uri, opts)) {
            System.out.printf(
                    "%s: server uri %s, host %s (%s), %s %d, lib %d, read-only %s%n",
                    uri,
                    c.serverUri(),
                    c.hostname(),
                    c.hostUuid(),
                    c.hypervisorType(),
                    c.hypervisorVersion(),
                    c.libVersion(),
                    c.isReadOnly());
            System.out.printf(
                    "  features: v3 %s, p2p %s, params %s%n",
                    c.supportsFeature(DriverFeature.MIGRATION_V3),
                    c.supportsFeature(DriverFeature.MIGRATION_P2P),
                    c.supportsFeature(DriverFeature.MIGRATION_PARAMS));
            // What keeps a libvirt peer on the standard single tunnel stream.
            if (c.supportsFeature(DriverFeature.JVIRT_TUNNEL_CHANNELS)) {
                throw new IllegalStateException("libvirtd claims jvirt's tunnel channel feature");
            }
            System.out.println("  jvirt's tunnel channels: not announced, as expected");
            for (DomainRef d : c.listAllDomains(0)) {
                System.out.printf("  %s id %d: %s%n", d.name(), d.id(), c.state(d));
            }
            try (AutoCloseable _ = c.addDomainEventListener(e -> System.out.println("  event " + e))) {
                Thread.sleep(7000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (!c.isAlive()) {
                throw new IllegalStateException("connection died while idle: " + c.failure());
            }
            System.out.println("  alive after 7 s idle");
        }
    }
}

package io.jvirt.it.harness;

import io.jvirt.guest.HostDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Several jvirtd "hosts" on this machine, each a separate daemon process with its own root, host UUID and
 * listen address, for tests, the benchmark and the demo.
 * <ul>
 * <li>{@link #loopback(int, HostOptions)}: N daemons on 127.0.0.1, each with its own free TCP port and its own
 * migration port range.</li>
 * <li>{@link #netns(HostOptions)}: two daemons, each in a network namespace of its own, joined by a veth pair
 * (10.231.N.1 and .2, optionally bandwidth-limited with tc tbf); each listens and takes migrations on its own
 * veth address, so migration data crosses the veth and {@link #cutLink()} can cut it. Needs root.</li>
 * </ul>
 * Clients in the root namespace (virsh, tests) reach every daemon by its {@link DaemonHost#unixUri()}; the
 * {@link DaemonHost#tcpUri()}s of netns hosts are reachable only from the two namespaces, which is what a source
 * daemon needs for peer-to-peer migration. {@link #close()} stops every daemon by its pid, ends their QEMUs,
 * deletes the roots and removes the namespaces and veths; it also runs when starting fails half-way.
 * One thread drives a set.
 */
public final class HostSet implements AutoCloseable {
    private final String id;
    private final Path base;
    private final List<DaemonHost> hosts = new ArrayList<>();
    private final Optional<VethPair> link;

    private HostSet(String id, Path base, Optional<VethPair> link) {
        this.id = id;
        this.base = base;
        this.link = link;
    }

    /** Starts {@code count} daemons on 127.0.0.1 (hosts "a", "b", …). */
    public static HostSet loopback(int count, HostOptions options) throws IOException {
        String id = newId();
        HostSet set = new HostSet(id, HostDirs.temp("jvirt-hosts-" + id + "-"), Optional.empty());
        try {
            // A random block of port ranges, one range of 64 per host, so concurrent sets rarely meet.
            int firstRange = 50000 + 64 * ThreadLocalRandom.current().nextInt(200);
            for (int i = 0; i < count; i++) {
                String name = String.valueOf((char) ('a' + i));
                int migrationMin = firstRange + 64 * i;
                set.hosts.add(DaemonHost.start(
                        new HostSpec(
                                name,
                                set.base.resolve(name),
                                UUID.randomUUID(),
                                "127.0.0.1",
                                freePort(),
                                freePort(),
                                migrationMin,
                                migrationMin + 63,
                                Optional.empty()),
                        options));
            }
        } catch (IOException | RuntimeException e) {
            set.close();
            throw e;
        }
        return set;
    }

    /** Starts two daemons, "a" and "b", in two network namespaces joined by a veth pair. */
    public static HostSet netns(HostOptions options) throws IOException {
        String id = newId();
        int subnet = 1 + ThreadLocalRandom.current().nextInt(254);
        VethPair pair = VethPair.create(id, subnet, options.rateMbit());
        HostSet set;
        try {
            set = new HostSet(id, HostDirs.temp("jvirt-hosts-" + id + "-"), Optional.of(pair));
        } catch (IOException | RuntimeException e) {
            pair.close();
            throw e;
        }
        try {
            for (String side : List.of("a", "b")) {
                // Each namespace is its own machine: the default ports cannot collide.
                set.hosts.add(DaemonHost.start(
                        new HostSpec(
                                side,
                                set.base.resolve(side),
                                UUID.randomUUID(),
                                pair.address(side),
                                16509,
                                16514,
                                49152,
                                49215,
                                Optional.of(pair.namespace(side))),
                        options));
            }
        } catch (IOException | RuntimeException e) {
            set.close();
            throw e;
        }
        return set;
    }

    /** A short id naming this set's namespaces, veths and temp directory. */
    public String id() {
        return id;
    }

    /** The directory holding the hosts' roots (deleted at close); a place for files the hosts share. */
    public Path base() {
        return base;
    }

    public List<DaemonHost> hosts() {
        return List.copyOf(hosts);
    }

    public DaemonHost host(int index) {
        return hosts.get(index);
    }

    public DaemonHost a() {
        return hosts.get(0);
    }

    public DaemonHost b() {
        return hosts.get(1);
    }

    /** Whether the hosts live in network namespaces (and so have a link to cut). */
    public boolean isNetns() {
        return link.isPresent();
    }

    /** Takes the veth between the two namespaces down. */
    public void cutLink() throws IOException {
        requireLink().cut();
    }

    /** Brings the veth up again. */
    public void restoreLink() throws IOException {
        requireLink().restore();
    }

    /** Sets (or changes) the tbf bandwidth limit on both ends of the veth. */
    public void limitBandwidth(int mbit) throws IOException {
        requireLink().limit(mbit);
    }

    /** Bytes host {@code side} ("a" or "b") received over the veth: proof that data crossed the link. */
    public long linkBytesReceived(String side) throws IOException {
        return requireLink().rxBytes(side);
    }

    /** The network namespace names this set made (empty in loopback mode), for checks after close. */
    public List<String> namespaces() {
        return link.map(l -> List.of(l.namespace("a"), l.namespace("b"))).orElse(List.of());
    }

    private VethPair requireLink() {
        return link.orElseThrow(() -> new IllegalStateException("loopback hosts have no link; use HostSet.netns"));
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (DaemonHost h : hosts.reversed()) {
            try {
                h.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        link.ifPresent(VethPair::close);
        QemuLeftovers.deleteTree(base);
        if (first != null) {
            throw first;
        }
    }

    private static String newId() {
        return HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextInt(1 << 20))
                .substring(3);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

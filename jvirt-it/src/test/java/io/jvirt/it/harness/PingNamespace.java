package io.jvirt.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of a test's own that pings from one address on a bridge of the root namespace: a veth pair
 * whose root end is a port of that bridge and whose other end, inside the namespace, holds the address. The
 * bridge itself stays without an address, so nothing of the root namespace's routing changes. The namespace's
 * name goes into the ledger {@code scripts/test-leftovers} reads before it is made, and the veth pair is made with
 * one end in it, so deleting the namespace ({@link #close()}, or test-leftovers after a killed run) removes the
 * pair too. Needs root. One test thread.
 */
public final class PingNamespace implements AutoCloseable {
    /** The namespaces this run made, one a line, in the tests' temporary root (as {@link VethPair} keeps it). */
    private static final Path LEDGER = Path.of(System.getProperty("java.io.tmpdir"), ".netns");

    private static final String INSIDE = "ping0";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String namespace;
    private final String port;
    private boolean made;

    private PingNamespace(String namespace, String port) {
        this.namespace = namespace;
        this.port = port;
    }

    /**
     * A namespace whose veth has {@code addressWithPrefix} ({@code 10.235.0.1/24}) and whose peer is a port of
     * {@code bridge}, up; on any failure removes what it made and rethrows.
     */
    public static PingNamespace onBridge(String bridge, String addressWithPrefix) throws IOException {
        String id = Long.toString(ProcessHandle.current().pid() % 46656, 36) + "x" + COUNTER.incrementAndGet();
        PingNamespace ns = new PingNamespace("jvirt-ping" + id, "jvpg" + id);
        try {
            ns.setUp(bridge, addressWithPrefix);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    private void setUp(String bridge, String addressWithPrefix) throws IOException {
        // Named first, so that ./run-tests (scripts/test-leftovers) can delete it if this JVM is killed.
        Files.writeString(LEDGER, namespace + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Shell.run(List.of("ip", "netns", "add", namespace));
        made = true;
        // The inside end is born in the namespace, so the pair goes with it whatever fails later.
        Shell.run(List.of("ip", "link", "add", port, "type", "veth", "peer", "name", INSIDE, "netns", namespace));
        Shell.run(List.of("ip", "link", "set", "dev", port, "master", bridge));
        Shell.run(List.of("ip", "link", "set", "dev", port, "up"));
        Shell.run(List.of("ip", "-n", namespace, "link", "set", "dev", "lo", "up"));
        Shell.run(List.of("ip", "-n", namespace, "addr", "add", addressWithPrefix, "dev", INSIDE));
        Shell.run(List.of("ip", "-n", namespace, "link", "set", "dev", INSIDE, "up"));
    }

    /** The namespace's name. */
    public String name() {
        return namespace;
    }

    /** The veth end on the bridge, in the root namespace. */
    public String port() {
        return port;
    }

    /** Starts pinging {@code address} from the namespace every {@code interval} until stopped. */
    public Pings ping(String address, Duration interval) throws IOException {
        return Pings.start(List.of("ip", "netns", "exec", namespace), address, interval);
    }

    /** Deletes the namespace; the veth pair, and so the bridge's port, goes with it. */
    @Override
    public void close() {
        if (made) {
            made = false;
            Shell.runQuietly(List.of("ip", "netns", "del", namespace));
        }
    }
}

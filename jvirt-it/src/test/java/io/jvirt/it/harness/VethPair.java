package io.jvirt.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalInt;

/**
 * Two network namespaces ({@code jvirt-ID-a}, {@code jvirt-ID-b}) joined by a veth pair with 10.231.N.1/24 and
 * 10.231.N.2/24 (a private range nothing on these machines uses; N picked per pair so sets can coexist), loopback
 * up in each, and optionally a tc tbf bandwidth limit on both ends (netem is not in these kernels). Everything
 * created is removed by {@link #close()}, also after a partial setup. Needs root. Runs on the caller's thread.
 */
final class VethPair implements AutoCloseable {
    private final String id;
    private final int subnet;
    private boolean namespaceA;
    private boolean namespaceB;

    private VethPair(String id, int subnet) {
        this.id = id;
        this.subnet = subnet;
    }

    /** The namespaces this run made, one a line, in the tests' temporary root. */
    private static final Path LEDGER = Path.of(System.getProperty("java.io.tmpdir"), ".netns");

    /** Creates the namespaces and the link; on any failure removes what it made and rethrows. */
    static VethPair create(String id, int subnet, OptionalInt rateMbit) throws IOException {
        VethPair pair = new VethPair(id, subnet);
        try {
            pair.setUp(rateMbit);
        } catch (IOException | RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void setUp(OptionalInt rateMbit) throws IOException {
        // Named first, so that ./run-tests (scripts/test-leftovers) can delete them if this JVM is killed.
        Files.writeString(
                LEDGER,
                namespace("a") + "\n" + namespace("b") + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Shell.run(List.of("ip", "netns", "add", namespace("a")));
        namespaceA = true;
        Shell.run(List.of("ip", "netns", "add", namespace("b")));
        namespaceB = true;
        // Created inside namespace a, so the pair disappears with it even if a later step fails.
        Shell.run(List.of(
                "ip",
                "-n",
                namespace("a"),
                "link",
                "add",
                veth("a"),
                "type",
                "veth",
                "peer",
                "name",
                veth("b"),
                "netns",
                namespace("b")));
        for (String side : List.of("a", "b")) {
            String ns = namespace(side);
            Shell.run(List.of("ip", "-n", ns, "link", "set", "dev", "lo", "up"));
            Shell.run(List.of("ip", "-n", ns, "addr", "add", address(side) + "/24", "dev", veth(side)));
            Shell.run(List.of("ip", "-n", ns, "link", "set", "dev", veth(side), "up"));
        }
        if (rateMbit.isPresent()) {
            limit(rateMbit.getAsInt());
        }
    }

    /** Limits each direction to {@code mbit} Mbit/s (replacing an earlier limit). */
    void limit(int mbit) throws IOException {
        for (String side : List.of("a", "b")) {
            Shell.run(List.of(
                    "ip",
                    "netns",
                    "exec",
                    namespace(side),
                    "tc",
                    "qdisc",
                    "replace",
                    "dev",
                    veth(side),
                    "root",
                    "tbf",
                    "rate",
                    mbit + "mbit",
                    "burst",
                    "32kbit",
                    "latency",
                    "400ms"));
        }
    }

    /** Takes both ends of the link down: packets stop, connections are not reset. */
    void cut() throws IOException {
        for (String side : List.of("a", "b")) {
            Shell.run(List.of("ip", "-n", namespace(side), "link", "set", "dev", veth(side), "down"));
        }
    }

    /** Brings both ends up again (addresses and the tbf limit stay configured). */
    void restore() throws IOException {
        for (String side : List.of("a", "b")) {
            Shell.run(List.of("ip", "-n", namespace(side), "link", "set", "dev", veth(side), "up"));
        }
    }

    /** Bytes the veth end of {@code side} has received (its kernel counter). */
    long rxBytes(String side) throws IOException {
        return Long.parseLong(Shell.run(List.of(
                        "ip",
                        "netns",
                        "exec",
                        namespace(side),
                        "cat",
                        "/sys/class/net/" + veth(side) + "/statistics/rx_bytes"))
                .strip());
    }

    String namespace(String side) {
        return "jvirt-" + id + "-" + side;
    }

    String veth(String side) {
        return "jv" + id + side;
    }

    String address(String side) {
        return "10.231." + subnet + "." + ("a".equals(side) ? 1 : 2);
    }

    /** Deletes the namespaces (the veth pair goes with them). */
    @Override
    public void close() {
        if (namespaceA) {
            Shell.runQuietly(List.of("ip", "netns", "del", namespace("a")));
            namespaceA = false;
        }
        if (namespaceB) {
            Shell.runQuietly(List.of("ip", "netns", "del", namespace("b")));
            namespaceB = false;
        }
    }
}

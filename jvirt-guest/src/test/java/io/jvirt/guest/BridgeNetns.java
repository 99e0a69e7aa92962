package io.jvirt.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network namespace of a test's own holding a bridge with the host side's address and a tap on that bridge,
 * for a QEMU started inside the namespace ({@link #exec}) with {@code -netdev tap,ifname=…}: the guest's traffic
 * never leaves the namespace. Its name goes into the ledger {@code scripts/test-leftovers} reads before it is
 * made; {@link #close()} deletes it, and the bridge and tap with it. Needs root. One test thread.
 */
final class BridgeNetns implements AutoCloseable {
    static final String BRIDGE = "br0";
    static final String TAP = "tap0";
    static final String HOST_ADDRESS = "10.234.0.1";
    static final String GUEST_ADDRESS = "10.234.0.2";
    static final int PREFIX = 24;

    private static final Path LEDGER = Path.of(System.getProperty("java.io.tmpdir"), ".netns");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) packets received");

    private final String name;
    private boolean made;

    private BridgeNetns(String name) {
        this.name = name;
    }

    /** Makes the namespace, its bridge (with {@link #HOST_ADDRESS}) and the tap; on failure removes them. */
    static BridgeNetns create() throws IOException {
        BridgeNetns netns =
                new BridgeNetns("jvirt-g" + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet() + "-n");
        try {
            netns.setUp();
        } catch (IOException | RuntimeException e) {
            netns.close();
            throw e;
        }
        return netns;
    }

    private void setUp() throws IOException {
        Files.writeString(LEDGER, name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        run(List.of("ip", "netns", "add", name));
        made = true;
        in("ip", "link", "set", "dev", "lo", "up");
        in("ip", "link", "add", BRIDGE, "type", "bridge");
        in("ip", "addr", "add", HOST_ADDRESS + "/" + PREFIX, "dev", BRIDGE);
        in("ip", "link", "set", "dev", BRIDGE, "up");
        in("ip", "tuntap", "add", "dev", TAP, "mode", "tap");
        in("ip", "link", "set", "dev", TAP, "master", BRIDGE);
        in("ip", "link", "set", "dev", TAP, "up");
    }

    String name() {
        return name;
    }

    /** {@code command} run inside the namespace: {@code ip netns exec} execs it, so its pid is the command's. */
    List<String> exec(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(command);
        return all;
    }

    /** Pings {@code address} {@code count} times from the namespace; returns how many replies came back. */
    int ping(String address, int count) throws IOException {
        String out = output(
                exec(List.of(
                        StaticBusybox.locate().toString(),
                        "ping",
                        "-c",
                        Integer.toString(count),
                        "-w",
                        Integer.toString(count * 3),
                        address)),
                true);
        Matcher m = PING_SUMMARY.matcher(out);
        if (!m.find() || Integer.parseInt(m.group(1)) != count) {
            throw new IOException("unexpected ping output:\n" + out);
        }
        return Integer.parseInt(m.group(2));
    }

    private void in(String... command) throws IOException {
        run(exec(List.of(command)));
    }

    private static void run(List<String> command) throws IOException {
        output(command, false);
    }

    private static String output(List<String> command, boolean anyStatus) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!anyStatus && p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** Deletes the namespace; the bridge and the tap go with it. */
    @Override
    public void close() throws IOException {
        if (made) {
            made = false;
            run(List.of("ip", "netns", "del", name));
        }
    }
}

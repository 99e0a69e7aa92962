package io.jvirt.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ping process (busybox's, which every test machine has: the test guest is built from busybox-static) sending
 * an echo request every interval until {@link #stop}, and the replies it reported, by sequence number and arrival
 * time. The process's output is read on a daemon thread of its own; the test thread waits for replies (bounded,
 * woken by each reply) and reads the tally. {@link #close()} ends the process if {@link #stop} did not.
 */
public final class Pings implements AutoCloseable {
    private static final List<Path> BUSYBOX = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));
    private static final Pattern REPLY = Pattern.compile("bytes from .*\\bseq=(\\d+)");
    /** The longest a ping process may run if nothing stops it: more than any test class's timeout. */
    private static final String DEADLINE_S = "1200";

    private final String address;
    private final Duration interval;
    private final Process process;
    private final Thread reader;
    /** Sequence number to the System.nanoTime() its first reply arrived at; guarded by this. */
    private final TreeMap<Long, Long> replies = new TreeMap<>();

    private Pings(String address, Duration interval, Process process) {
        this.address = address;
        this.interval = interval;
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("pings-" + address).unstarted(this::readReplies);
    }

    /** Starts pinging {@code address} every {@code interval}, the ping run under {@code prefix} (a netns exec). */
    static Pings start(List<String> prefix, String address, Duration interval) throws IOException {
        Path busybox = BUSYBOX.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IOException("no busybox in " + BUSYBOX + ": install busybox-static"));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                busybox.toString(),
                "ping",
                "-i",
                String.format(Locale.ROOT, "%.3f", interval.toNanos() / 1e9),
                "-w",
                DEADLINE_S,
                address));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        Pings pings = new Pings(address, interval, p);
        pings.reader.start();
        return pings;
    }

    private void readReplies() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher m = REPLY.matcher(line);
                if (m.find()) {
                    long at = System.nanoTime();
                    synchronized (this) {
                        replies.putIfAbsent(Long.parseLong(m.group(1)), at); // a DUP! counts once
                        notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // The stream closes under the reader when the process is ended; only a failure before that is news.
            if (process.isAlive()) {
                System.err.println("[harness] reading the pings of " + address + ": " + e.getMessage());
            }
        }
    }

    /**
     * Waits for a reply that arrives after this call and returns its sequence number; fails naming the address
     * and the last reply seen when none comes within {@code within}.
     */
    public synchronized long awaitReply(Duration within) throws InterruptedException {
        long since = System.nanoTime();
        long deadline = since + within.toNanos();
        while (true) {
            Map.Entry<Long, Long> newest = replies.lastEntry();
            if (newest != null && newest.getValue() - since > 0) {
                return newest.getKey();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive()) {
                throw new AssertionError("no ping reply from " + address + " within " + within.toMillis()
                        + " ms (last reply: seq " + (replies.isEmpty() ? "none" : replies.lastKey())
                        + (process.isAlive() ? "" : "; ping exited " + process.exitValue()) + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Ends the ping process and tallies the requests from sequence {@code from} (a reply the test waited for) up
     * to the last reply: requests after that may still have been in flight, so they count neither way.
     */
    public Report stop(long from) throws InterruptedException {
        close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        reader.join(Duration.ofSeconds(10));
        synchronized (this) {
            Map<Long, Long> window = replies.tailMap(from, true);
            long to = replies.isEmpty() ? from - 1 : Math.max(from - 1, replies.lastKey());
            long longestGap = 0;
            long resumedAt = 0;
            long previous = from - 1;
            for (Map.Entry<Long, Long> e : window.entrySet()) {
                long gap = e.getKey() - previous - 1;
                if (gap > longestGap) {
                    longestGap = gap;
                    resumedAt = e.getValue();
                }
                previous = e.getKey();
            }
            return new Report(from, to, window.size(), longestGap, resumedAt, interval);
        }
    }

    /** Ends the ping process (SIGTERM) if it still runs. */
    @Override
    public void close() {
        process.destroy();
    }

    /**
     * The tally of one run of pings.
     *
     * @param from       the first sequence number counted
     * @param to         the last reply's sequence number
     * @param received   replies with sequence numbers {@code from} to {@code to}
     * @param longestGap the longest run of consecutive requests without a reply
     * @param resumedAt  System.nanoTime() of the reply that ended that run (0 when nothing was lost)
     * @param interval   the time between requests
     */
    public record Report(long from, long to, long received, long longestGap, long resumedAt, Duration interval) {
        /** Requests counted: {@code from} to {@code to}. */
        public long sent() {
            return to - from + 1;
        }

        public long lost() {
            return sent() - received;
        }

        /** About how long the longest run without a reply lasted. */
        public Duration longestOutage() {
            return interval.multipliedBy(longestGap);
        }
    }
}

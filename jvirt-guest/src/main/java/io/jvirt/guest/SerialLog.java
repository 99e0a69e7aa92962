package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the test guest's serial log file (QEMU's {@code -serial file:} or a domain's {@code <serial type='file'>}
 * with append on) as it grows. Each query first reads what was appended since the last one; a last line
 * without its newline waits for the next read. Lines carry any bytes (kernel messages, BIOS escape sequences);
 * only complete {@code jvirt-guest} lines count.
 *
 * <p>A boot begins at the guest's {@code jvirt-guest start} line; queries describe the latest boot, so a
 * rebooted guest (or a log file reused without truncation) starts over. Thread-safe: queries are
 * synchronized; the await methods block the calling thread, polling the file until their deadline.
 */
public final class SerialLog {
    private static final String START_MARKER = "jvirt-guest start";
    // A "line" this long is junk (a stuck console, binary noise): it is dropped rather than buffered.
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int READ_CHUNK_BYTES = 1 << 20;
    private static final int TAIL_LINES = 20;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Pattern SWEEP = Pattern.compile("jvirt-guest sweep=(\\d{1,18}) uptime_ms=\\d{1,18}\\s*$");
    private static final Pattern POWERDOWN = Pattern.compile("jvirt-guest powerdown(?: disk_writes=(\\d{1,18}))?\\s*$");

    private final Path file;
    private final List<GuestTick> ticks = new ArrayList<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private GuestReady ready;
    private long sweeps;
    private boolean poweredDown;
    private long powerdownDiskWrites = -1;
    private int boots;
    private long consumed;

    public SerialLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Every tick of the latest boot, in log order. */
    public synchronized List<GuestTick> ticks() {
        refresh();
        return List.copyOf(ticks);
    }

    /** The last tick of the latest boot. */
    public synchronized Optional<GuestTick> latest() {
        refresh();
        return ticks.isEmpty() ? Optional.empty() : Optional.of(ticks.getLast());
    }

    /** Whether the guest has printed its ready line (fill complete) in the latest boot. */
    public synchronized boolean ready() {
        return readyLine().isPresent();
    }

    /** The ready line of the latest boot, if printed yet. */
    public synchronized Optional<GuestReady> readyLine() {
        refresh();
        return Optional.ofNullable(ready);
    }

    /**
     * How many times the guest has checked its whole fill area in the latest boot. A check that starts after an
     * event (a migration, say) has finished once this count has grown by two.
     */
    public synchronized long sweeps() {
        refresh();
        return sweeps;
    }

    /** Waits up to {@code timeout} until {@link #sweeps()} reaches {@code count}; returns the count reached. */
    public long awaitSweeps(long count, Duration timeout) {
        return await(timeout, "sweep " + count, () -> {
            synchronized (this) {
                refresh();
                return sweeps >= count ? Optional.of(sweeps) : Optional.empty();
            }
        });
    }

    /**
     * How many whole passes over its disk workload's written region the guest has verified in the latest boot,
     * from its latest tick; 0 before the first pass and for a guest without the disk workload. As with
     * {@link #sweeps()}, a check begun after an event has finished once this has grown by two.
     */
    public synchronized long diskPasses() {
        refresh();
        return ticks.isEmpty()
                ? 0
                : ticks.getLast().disk().map(DiskTick::passes).orElse(0L);
    }

    /** Waits up to {@code timeout} until {@link #diskPasses()} reaches {@code count}; returns the count reached. */
    public long awaitDiskPasses(long count, Duration timeout) {
        return await(timeout, "disk pass " + count, () -> {
            synchronized (this) {
                long passes = diskPasses();
                return passes >= count ? Optional.of(passes) : Optional.empty();
            }
        });
    }

    /**
     * The disk workload's write count the guest printed as it powered off (its disk thread stopped and flushed)
     * in the latest boot: what a guest that only verifies a copy of the disk must find. Empty before power off
     * and for a guest without the disk workload.
     */
    public synchronized OptionalLong diskWritesAtPowerdown() {
        refresh();
        return powerdownDiskWrites >= 0 ? OptionalLong.of(powerdownDiskWrites) : OptionalLong.empty();
    }

    /** Whether the guest has printed its {@code jvirt-guest powerdown} line in the latest boot. */
    public synchronized boolean poweredDown() {
        refresh();
        return poweredDown;
    }

    /** How many {@code jvirt-guest start} lines the log holds: 1 for a guest that booted once. */
    public synchronized int boots() {
        refresh();
        return boots;
    }

    /** The last lines of the log, control characters shown as {@code ?}, for failure messages. */
    public synchronized List<String> lastLines() {
        refresh();
        return List.copyOf(tail);
    }

    /**
     * The first tick of the latest boot numbered above {@code tick}, waiting up to {@code timeout} for it.
     *
     * @throws VirtException (OPERATION_TIMEOUT) naming the file and quoting its last lines
     */
    public GuestTick awaitTickAfter(long tick, Duration timeout) {
        return await(timeout, "a tick after " + tick, () -> {
            synchronized (this) {
                refresh();
                return ticks.stream().filter(t -> t.tick() > tick).findFirst();
            }
        });
    }

    /** Waits up to {@code timeout} for the ready line. @throws VirtException (OPERATION_TIMEOUT) as above */
    public GuestReady awaitReady(Duration timeout) {
        return await(timeout, "the ready line", this::readyLine);
    }

    private <T> T await(Duration timeout, String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw VirtException.of(
                        ErrorCode.OPERATION_TIMEOUT,
                        ErrorDomain.DOMAIN,
                        "no " + what + " from the test guest within " + timeout.toMillis() + " ms in " + file
                                + "; last lines:\n  " + String.join("\n  ", lastLines()));
            }
            try {
                Thread.sleep(Math.min(POLL_INTERVAL.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VirtException.of(
                        ErrorCode.OPERATION_ABORTED,
                        ErrorDomain.DOMAIN,
                        "interrupted while waiting for " + what + " in " + file,
                        e);
            }
        }
    }

    private void refresh() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < consumed) {
                reset(); // truncated or replaced: read the new content from its start
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(READ_CHUNK_BYTES, Math.max(0, size - consumed)));
            while (consumed < size) {
                buffer.clear();
                int n = channel.read(buffer, consumed);
                if (n <= 0) {
                    return;
                }
                int used = consumeLines(buffer.array(), n);
                if (used == 0) {
                    return; // an unfinished last line: wait for its newline
                }
                consumed += used;
            }
        } catch (NoSuchFileException e) {
            // Not created yet: QEMU creates it when it starts.
        } catch (IOException e) {
            throw VirtException.of(ErrorCode.READ_FAILED, ErrorDomain.DOMAIN, file + ": " + e.getMessage(), e);
        }
    }

    /** Handles every complete line in {@code bytes[0, n)}; returns how many bytes they spanned. */
    private int consumeLines(byte[] bytes, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] == '\n') {
                int length = Math.min(i - start, MAX_LINE_BYTES);
                line(new String(bytes, start, length, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        if (n - start >= MAX_LINE_BYTES) {
            return n; // so long without a newline that it is junk: drop it rather than wait for more
        }
        return start;
    }

    private void line(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        tail.addLast(printable(line));
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        if (line.endsWith(START_MARKER) || line.contains(START_MARKER + " ")) {
            boots++;
            ticks.clear();
            ready = null;
            sweeps = 0;
            poweredDown = false;
            powerdownDiskWrites = -1;
            return;
        }
        Optional<GuestTick> tick = GuestTick.parse(line);
        if (tick.isPresent()) {
            ticks.add(tick.get());
            return;
        }
        Matcher sweep = SWEEP.matcher(line);
        if (sweep.find()) {
            sweeps = Long.parseLong(sweep.group(1));
            return;
        }
        Matcher powerdown = POWERDOWN.matcher(line);
        if (powerdown.find()) {
            poweredDown = true;
            powerdownDiskWrites = powerdown.group(1) != null ? Long.parseLong(powerdown.group(1)) : -1;
            return;
        }
        GuestReady.parse(line).ifPresent(r -> ready = r);
    }

    private void reset() {
        consumed = 0;
        boots = 0;
        ticks.clear();
        tail.clear();
        ready = null;
        sweeps = 0;
        poweredDown = false;
        powerdownDiskWrites = -1;
    }

    private static String printable(String line) {
        StringBuilder b = new StringBuilder(Math.min(line.length(), 200));
        for (int i = 0; i < line.length() && i < 200; i++) {
            char c = line.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}

package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.ChildProcess;
import io.jvirt.nativeio.NativeIOException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts and ends QEMU processes. A QEMU outlives the process that started it (an embedded CLI call exits at once;
 * a daemon may restart), so it runs in a session of its own, where a Ctrl-C meant for the CLI never reaches it,
 * with stdin from /dev/null and stdout and stderr appended to the domain's log file, where they keep going after
 * we exit. Every QEMU starts through {@link #launch(List, Path, List)} (posix_spawn, {@link ChildProcess}), which
 * can also hand it fds of ours (taps, vhost-net) as its fds 3, 4, …; the JDK's ProcessBuilder cannot. Stateless;
 * runs on the caller's thread.
 */
public final class QemuLauncher {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxx");
    private static final int LOG_TAIL_BYTES = 4096;
    private static final int SIGKILL = 9;

    private QemuLauncher() {}

    /** Starts {@code argv} without extra fds; see {@link #launch(List, Path, List)}. */
    public static ChildProcess launch(List<String> argv, Path log) {
        return launch(argv, log, List.of());
    }

    /**
     * Starts {@code argv}, first appending a libvirt-style "starting up" record of it to {@code log}; QEMU gets
     * {@code passFds.get(i)} as its fd {@code 3 + i} (see {@link PassedFds}). The caller keeps and closes its fds.
     */
    public static ChildProcess launch(List<String> argv, Path log, List<Integer> passFds) {
        try {
            Files.createDirectories(log.getParent());
            String header = OffsetDateTime.now(ZoneOffset.UTC).format(STAMP) + ": starting up jvirt\n"
                    + String.join(" ", argv) + "\n";
            Files.writeString(
                    log, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return ChildProcess.spawn(
                    argv, System.getenv(), "/dev/null", log.toAbsolutePath().toString(), passFds);
        } catch (NativeIOException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "failed to start " + argv.getFirst() + ": " + e.reason(),
                    e);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "failed to start " + argv.getFirst() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Waits up to {@code timeout} for a child we started to exit and be reaped, waking on its exit.
     *
     * @return true when it has exited
     */
    public static boolean awaitExit(ChildProcess child, Duration timeout) {
        try {
            child.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !child.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !child.isAlive();
        }
    }

    /** Kills a child we started (SIGKILL) and waits up to 5 s for it to be reaped. */
    public static void killNow(ChildProcess child) {
        try {
            child.signal(SIGKILL);
        } catch (NativeIOException e) {
            // Nothing more to do: the wait below tells whether it is gone.
        }
        awaitExit(child, Duration.ofSeconds(5));
    }

    /**
     * Waits up to {@code timeout} for {@code process} to exit; waking on its exit, not on a timer.
     *
     * @return true when it has exited
     */
    public static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Ends QEMU {@code pid} as libvirt does: SIGTERM, up to 10 s to exit, then SIGKILL. Only a pid that still runs
     * the QEMU of {@code uuid} is signalled, so a pid reused by an unrelated process is never touched.
     *
     * @return true when the process is gone
     */
    public static boolean kill(long pid, String uuid) {
        if (!ProcessInspector.isQemuOf(pid, uuid)) {
            return !ProcessInspector.isAlive(pid) || !ProcessInspector.isQemuOf(pid, uuid);
        }
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle == null) {
            return true;
        }
        handle.destroy();
        if (awaitExit(handle, Duration.ofSeconds(10))) {
            return true;
        }
        handle.destroyForcibly();
        return awaitExit(handle, Duration.ofSeconds(5));
    }

    /** The last few KiB of a log, to quote when QEMU fails to start. */
    public static String logTail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - LOG_TAIL_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8).strip();
            int lastStart = text.lastIndexOf(": starting up jvirt\n");
            if (lastStart >= 0) {
                int eol = text.indexOf('\n', text.indexOf('\n', lastStart) + 1);
                text = eol < 0 ? "" : text.substring(eol + 1);
            }
            return text.strip();
        } catch (IOException e) {
            return "";
        }
    }
}

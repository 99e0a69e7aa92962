package io.jvirt.driver.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads what /proc tells about a QEMU process: whether it is alive, which command it runs, its CPU time. */
public final class ProcessInspector {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcessInspector() {}

    /** True when {@code pid} runs and is not a zombie. */
    public static boolean isAlive(long pid) {
        if (pid <= 0) {
            return false;
        }
        String stat = readStat(pid);
        if (stat == null) {
            return false;
        }
        int close = stat.lastIndexOf(')');
        return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    }

    /** The argv of {@code pid}, or an empty list if it is gone. */
    public static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String text = new String(raw, StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * True when {@code pid} is the QEMU of domain {@code uuid}: guards against a pid reused by another process
     * after the QEMU we started died while no driver watched it.
     */
    public static boolean isQemuOf(long pid, String uuid) {
        List<String> argv = commandLine(pid);
        int i = argv.indexOf("-uuid");
        return isAlive(pid) && i >= 0 && i + 1 < argv.size() && argv.get(i + 1).equalsIgnoreCase(uuid);
    }

    /** User plus system CPU time of {@code pid} in nanoseconds, 0 if unknown. */
    public static long cpuTimeNanos(long pid) {
        String stat = readStat(pid);
        if (stat == null) {
            return 0;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command name: state is field 3 of stat(5), utime 14 and stime 15.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    private static String readStat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
    }
}

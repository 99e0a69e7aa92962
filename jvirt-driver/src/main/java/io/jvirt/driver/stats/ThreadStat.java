package io.jvirt.driver.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What /proc says of one thread (or a whole process): user and system CPU time, the CPU it last ran on, the time it
 * was runnable but queued ({@code schedstat}), the scheduler's wait sum ({@code sched}, kept only by kernels with
 * schedstats on, else 0, as libvirt reports it), and the CPUs it may run on. A thread that is gone reads as zeros.
 *
 * <p>Threading: any; reads /proc once per call.
 */
record ThreadStat(long userNs, long systemNs, int processor, long delayNs, long waitNs, List<Integer> allowed) {
    /** USER_HZ, 100 on every Linux this runs on. */
    private static final long NS_PER_TICK = 1_000_000_000L / 100;

    long cpuNs() {
        return userNs + systemNs;
    }

    /** The process {@code pid} as a whole. */
    static ThreadStat ofProcess(long pid) {
        return of(Path.of("/proc", Long.toString(pid)));
    }

    /** Thread {@code tid} of process {@code pid}. */
    static ThreadStat ofThread(long pid, long tid) {
        return of(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid)));
    }

    private static ThreadStat of(Path dir) {
        String stat = read(dir.resolve("stat"));
        long user = 0;
        long system = 0;
        int processor = 0;
        if (!stat.isEmpty()) {
            // After "pid (comm) ", field 3 of proc_pid_stat(5) comes first: utime is 14, stime 15, processor 39.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
            user = Long.parseLong(f[11]) * NS_PER_TICK;
            system = Long.parseLong(f[12]) * NS_PER_TICK;
            processor = f.length > 36 ? Integer.parseInt(f[36]) : 0;
        }
        String[] sched = read(dir.resolve("schedstat")).strip().split(" ");
        long delay = sched.length >= 2 ? Long.parseLong(sched[1]) : 0;
        return new ThreadStat(
                user,
                system,
                processor,
                delay,
                waitSumNs(read(dir.resolve("sched"))),
                allowed(read(dir.resolve("status"))));
    }

    /** The {@code wait_sum} line of a sched file (milliseconds with a fraction) in ns; 0 when absent. */
    static long waitSumNs(String sched) {
        for (String line : sched.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().endsWith("wait_sum")) {
                return Math.round(Double.parseDouble(line.substring(colon + 1).strip()) * 1_000_000);
            }
        }
        return 0;
    }

    /** The {@code Cpus_allowed_list} of a status file, e.g. {@code 0-3,6}. */
    static List<Integer> allowed(String status) {
        List<Integer> cpus = new ArrayList<>();
        for (String line : status.lines().toList()) {
            if (line.startsWith("Cpus_allowed_list:")) {
                cpus.addAll(CpuList.parse(line.substring(line.indexOf(':') + 1)));
            }
        }
        return cpus;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}

package io.jvirt.driver.host;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.NodeCpuMap;
import io.jvirt.api.VirtException;
import io.jvirt.driver.stats.CpuList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's memory and CPU counters as libvirt's node calls report them, from /proc and /sys: memory in KiB
 * ({@code total}, {@code free}, {@code buffers}, {@code cached}), CPU time in ns ({@code kernel}, {@code user},
 * {@code idle}, {@code iowait}), free memory per NUMA cell in bytes, and the present and online CPUs.
 *
 * <p>Threading: any; every call reads the files afresh.
 */
public final class NodeStats {
    private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final Path NODES = Path.of("/sys/devices/system/node");
    private static final Path CPUS = Path.of("/sys/devices/system/cpu");
    private static final long NS_PER_TICK = 1_000_000_000L / 100;

    private NodeStats() {}

    /** Memory of the whole host ({@code cell} -1) or of one NUMA cell, KiB. */
    public static Map<String, Long> memory(int cell, int flags) {
        requireNoFlags(flags, "virHostMemGetStats");
        Map<String, Long> info;
        if (cell == -1) {
            info = meminfo(read(PROC_MEMINFO));
        } else {
            if (cell < 0 || cell >= cellCount()) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG,
                        ErrorDomain.NONE,
                        "cellNum in virHostMemGetStats must be less than " + cellCount());
            }
            info = meminfo(cellMeminfo(cell));
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("total", info.getOrDefault("MemTotal", 0L));
        out.put("free", info.getOrDefault("MemFree", 0L));
        out.put("buffers", info.getOrDefault("Buffers", 0L));
        out.put("cached", info.getOrDefault("Cached", 0L));
        return out;
    }

    /** CPU time of all CPUs ({@code cpu} -1) or of one, ns. */
    public static Map<String, Long> cpu(int cpu, int flags) {
        requireNoFlags(flags, "virHostCPUGetStats");
        String want = cpu == -1 ? "cpu" : "cpu" + cpu;
        for (String line : read(PROC_STAT).lines().toList()) {
            String[] f = line.split("\\s+");
            if (f.length > 5 && f[0].equals(want)) {
                Map<String, Long> out = new LinkedHashMap<>();
                out.put("kernel", (Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7])) * NS_PER_TICK);
                out.put("user", (Long.parseLong(f[1]) + Long.parseLong(f[2])) * NS_PER_TICK);
                out.put("idle", Long.parseLong(f[4]) * NS_PER_TICK);
                out.put("iowait", Long.parseLong(f[5]) * NS_PER_TICK);
                return out;
            }
        }
        throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "Invalid cpuNum in virHostCPUGetStatsLinux");
    }

    /** Free memory of the host, bytes. */
    public static long freeMemory() {
        return meminfo(read(PROC_MEMINFO)).getOrDefault("MemFree", 0L) * 1024;
    }

    /** Free memory of cells {@code start}.. (at most {@code max} of them), bytes. */
    public static List<Long> cellsFree(int start, int max) {
        int cells = cellCount();
        if (start < 0 || start >= cells) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "start cell " + start + " out of range (0-" + (cells - 1) + ")");
        }
        List<Long> out = new ArrayList<>();
        for (int c = start; c < cells && out.size() < max; c++) {
            out.add(meminfo(cellMeminfo(c)).getOrDefault("MemFree", 0L) * 1024);
        }
        return out;
    }

    /** The present CPUs' count (highest number plus one) and the online ones. */
    public static NodeCpuMap cpuMap(int flags) {
        requireNoFlags(flags, "virHostCPUGetMap");
        List<Integer> present = CpuList.parse(read(CPUS.resolve("present")));
        List<Integer> online = CpuList.parse(read(CPUS.resolve("online")));
        int count = present.isEmpty() ? online.size() : present.getLast() + 1;
        return new NodeCpuMap(count, online);
    }

    private static int cellCount() {
        List<Integer> online = Files.isDirectory(NODES) ? CpuList.parse(read(NODES.resolve("online"))) : List.of();
        return online.isEmpty() ? 1 : online.getLast() + 1;
    }

    /** A cell's meminfo with the "Node N " prefix taken off; the host's when there is no NUMA in sysfs. */
    private static String cellMeminfo(int cell) {
        Path file = NODES.resolve("node" + cell).resolve("meminfo");
        if (!Files.exists(file)) {
            return read(PROC_MEMINFO);
        }
        return read(file).replaceAll("(?m)^Node\\s+\\d+\\s+", "");
    }

    /** "Key:  123 kB" lines as key to number. */
    static Map<String, Long> meminfo(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String[] v = line.substring(colon + 1).strip().split("\\s+");
                try {
                    out.put(line.substring(0, colon).strip(), Long.parseLong(v[0]));
                } catch (NumberFormatException e) {
                    // Not a counter line.
                }
            }
        }
        return out;
    }

    private static void requireNoFlags(int flags, String function) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function " + function);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}

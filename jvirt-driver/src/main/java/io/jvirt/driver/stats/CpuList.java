package io.jvirt.driver.stats;

import java.util.ArrayList;
import java.util.List;

/** The kernel's CPU list syntax ({@code 0-3,6}). */
public final class CpuList {
    private CpuList() {}

    /** The CPUs of a list such as {@code 0-3,6}; blank is none. */
    public static List<Integer> parse(String text) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : text.strip().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(
                    part.substring(0, dash < 0 ? part.length() : dash).strip());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).strip());
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }
}

package io.jvirt.api;

import java.util.List;

/**
 * One vCPU of a running domain ({@code virVcpuInfo}) with the host CPUs its thread may run on.
 *
 * @param state    {@code virVcpuState}: 0 offline, 1 running, 2 blocked
 * @param cpu      the host CPU it last ran on
 * @param affinity the host CPUs it may run on, ascending
 */
public record VcpuInfo(int number, int state, long cpuTimeNs, int cpu, List<Integer> affinity) {
    public static final int RUNNING = 1;

    public VcpuInfo {
        affinity = List.copyOf(affinity);
    }
}

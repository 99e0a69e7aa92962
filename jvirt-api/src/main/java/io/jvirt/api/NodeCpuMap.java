package io.jvirt.api;

import java.util.List;

/**
 * The host's CPUs ({@code virNodeGetCPUMap}).
 *
 * @param cpus   how many CPUs the host has (the highest present number plus one)
 * @param online the online ones, ascending
 */
public record NodeCpuMap(int cpus, List<Integer> online) {
    public NodeCpuMap {
        online = List.copyOf(online);
    }
}

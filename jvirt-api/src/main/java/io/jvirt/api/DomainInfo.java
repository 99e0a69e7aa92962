package io.jvirt.api;

/** libvirt's {@code virDomainInfo}: state, memory in KiB, vCPU count and CPU time in nanoseconds. */
public record DomainInfo(DomainState state, long maxMemKiB, long memoryKiB, int vcpus, long cpuTimeNs) {}

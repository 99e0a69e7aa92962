package io.jvirt.config;

/** {@code <vcpu placement='static'>2</vcpu>}: the number of virtual CPUs; placement as given (libvirt's default static). */
public record VcpuDef(int count, String placement) {
    public VcpuDef {
        if (count < 1) {
            throw ConfigErrors.xml("Invalid vCPU count " + count + ": a domain needs at least 1 vCPU");
        }
    }
}

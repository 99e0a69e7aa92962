package io.jvirt.driver.stats;

import io.jvirt.api.VcpuInfo;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.process.MonitorCalls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A running domain's vCPUs: QEMU's {@code query-cpus-fast} names each vCPU's host thread, whose CPU time, last CPU,
 * run delay and affinity /proc gives.
 *
 * <p>Threading: the caller's thread, inside a query job of the domain.
 */
final class VcpuThreads {
    /** One vCPU and what its thread's /proc entries said. */
    record Vcpu(int index, ThreadStat stat) {
        VcpuInfo info() {
            return new VcpuInfo(index, VcpuInfo.RUNNING, stat.cpuNs(), stat.processor(), stat.allowed());
        }
    }

    private VcpuThreads() {}

    @SuppressWarnings("unchecked")
    static List<Vcpu> of(DomainObj dom, QemuRun run) {
        Object reply = MonitorCalls.call(dom.name(), () -> run.monitor().execute("query-cpus-fast", Map.of()))
                .get("return");
        List<Vcpu> out = new ArrayList<>();
        if (reply instanceof List<?> cpus) {
            for (Object o : cpus) {
                Map<String, Object> cpu = (Map<String, Object>) o;
                int index = ((Number) cpu.get("cpu-index")).intValue();
                long tid = ((Number) cpu.get("thread-id")).longValue();
                out.add(new Vcpu(index, ThreadStat.ofThread(run.pid(), tid)));
            }
        }
        out.sort(Comparator.comparingInt(Vcpu::index));
        return out;
    }
}

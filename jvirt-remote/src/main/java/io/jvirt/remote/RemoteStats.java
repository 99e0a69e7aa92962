package io.jvirt.remote;

import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_ALL_DOMAIN_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_VCPUS;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_CPU_MAP;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_CPU_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_MEMORY_STATS;

import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainStatsRecord;
import io.jvirt.api.NodeCpuMap;
import io.jvirt.api.VcpuInfo;
import io.jvirt.rpc.proto.HostWire;
import io.jvirt.rpc.proto.HostWire.NodeStatsRet;
import io.jvirt.rpc.proto.StatsWire;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The statistics and host calls of {@link RemoteConnection} that take more than one exchange or unpack a bitmap, as
 * libvirt's remote driver makes them.
 *
 * <p>Threading: the caller's, as {@link RemoteConnection#call}.
 */
final class RemoteStats {
    /** The host CPUs a map of {@code maplen} bytes can name. */
    private static final int MAPLEN = 32;

    private RemoteStats() {}

    static List<DomainStatsRecord> domainStats(RemoteConnection c, List<DomainRef> domains, int stats, int flags) {
        return c.call(CONNECT_GET_ALL_DOMAIN_STATS, new StatsWire.AllStatsArgs(domains, stats, flags)).stream()
                .map(r -> new DomainStatsRecord(r.dom(), r.params()))
                .toList();
    }

    static List<VcpuInfo> vcpus(RemoteConnection c, DomainRef domain, int nvcpus) {
        StatsWire.VcpusRet r = c.call(DOMAIN_GET_VCPUS, new StatsWire.VcpusArgs(domain, nvcpus, MAPLEN));
        byte[] maps = r.cpumaps().bytes();
        List<VcpuInfo> out = new ArrayList<>();
        for (int i = 0; i < r.info().size(); i++) {
            StatsWire.VcpuInfoWire v = r.info().get(i);
            out.add(new VcpuInfo(v.number(), v.state(), v.cpuTime(), v.cpu(), cpus(maps, i * MAPLEN, MAPLEN)));
        }
        return out;
    }

    static NodeCpuMap cpuMap(RemoteConnection c, int flags) {
        HostWire.CpuMapRet r = c.call(NODE_GET_CPU_MAP, new HostWire.CpuMapArgs(1, 1, flags));
        byte[] map = r.cpumap().bytes();
        return new NodeCpuMap(r.ret(), cpus(map, 0, map.length));
    }

    static Map<String, Long> nodeMemoryStats(RemoteConnection c, int cell, int flags) {
        return nodeStats(n -> c.call(NODE_GET_MEMORY_STATS, new HostWire.NodeMemoryStatsArgs(n, cell, flags)));
    }

    static Map<String, Long> nodeCpuStats(RemoteConnection c, int cpu, int flags) {
        return nodeStats(n -> c.call(NODE_GET_CPU_STATS, new HostWire.NodeCpuStatsArgs(cpu, n, flags)));
    }

    /** Asks for the count, then for that many. */
    private static Map<String, Long> nodeStats(IntFunction<NodeStatsRet> call) {
        int n = call.apply(0).nparams();
        Map<String, Long> out = new LinkedHashMap<>();
        if (n > 0) {
            call.apply(n).params().forEach(s -> out.put(s.field(), s.value()));
        }
        return out;
    }

    private static List<Integer> cpus(byte[] maps, int offset, int length) {
        List<Integer> out = new ArrayList<>();
        for (int b = 0; b < length && offset + b < maps.length; b++) {
            for (int bit = 0; bit < 8; bit++) {
                if ((maps[offset + b] & (1 << bit)) != 0) {
                    out.add(b * 8 + bit);
                }
            }
        }
        return out;
    }
}

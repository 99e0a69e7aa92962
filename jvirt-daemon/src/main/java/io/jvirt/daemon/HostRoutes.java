package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_CPU_MODEL_NAMES;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_MAX_VCPUS;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_SYSINFO;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_CELLS_FREE_MEMORY;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_CPU_MAP;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_CPU_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_FREE_MEMORY;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_MEMORY_STATS;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.NodeCpuMap;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.CpuMaps;
import io.jvirt.rpc.proto.HostWire;
import io.jvirt.rpc.proto.HostWire.CpuMapRet;
import io.jvirt.rpc.proto.HostWire.CpuModelsRet;
import io.jvirt.rpc.proto.HostWire.NodeStat;
import io.jvirt.rpc.proto.HostWire.NodeStatsRet;
import java.util.List;
import java.util.Map;

/**
 * Host procedures monitoring tools call: SMBIOS data, the CPU map, free memory (whole and per cell), memory and CPU
 * counters, the vCPU limit and the CPU models, with libvirtd's bounds on what the client asks for. All read-only.
 */
final class HostRoutes {
    private HostRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.query(CONNECT_GET_SYSINFO, (c, flags) -> c.driver().sysinfo(flags));
        t.query(CONNECT_GET_MAX_VCPUS, (c, type) -> c.driver().maxVcpus(type));
        t.query(NODE_GET_FREE_MEMORY, (c, v) -> c.driver().freeMemory());
        t.query(NODE_GET_CELLS_FREE_MEMORY, (c, a) -> {
            if (a.maxcells() > HostWire.MAX_CELLS) {
                throw rpc("maxCells > REMOTE_NODE_MAX_CELLS");
            }
            return c.driver().cellsFreeMemory(a.startCell(), a.maxcells());
        });
        t.query(
                NODE_GET_MEMORY_STATS,
                (c, a) -> nodeStats(
                        c.driver().nodeMemoryStats(a.cellNum(), a.flags()), a.nparams(), "virHostMemGetStats"));
        t.query(
                NODE_GET_CPU_STATS,
                (c, a) -> nodeStats(
                        c.driver().nodeCpuStats(a.cpuNum(), a.flags()), a.nparams(), "virHostCPUGetStatsLinux"));
        t.query(NODE_GET_CPU_MAP, (c, a) -> {
            NodeCpuMap map = c.driver().cpuMap(a.flags());
            CpuMaps bits =
                    new CpuMaps(a.needMap() != 0 ? CpuMaps.map(map.online(), (map.cpus() + 7) / 8) : new byte[0]);
            return new CpuMapRet(bits, a.needOnline() != 0 ? map.online().size() : 0, map.cpus());
        });
        t.query(CONNECT_GET_CPU_MODEL_NAMES, (c, a) -> {
            List<String> models = c.driver().cpuModelNames(a.arch(), a.flags());
            if (models.size() > HostWire.CPU_MODELS_MAX) {
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.RPC,
                        "Too many CPU models '" + models.size() + "' for limit '" + HostWire.CPU_MODELS_MAX + "'");
            }
            return new CpuModelsRet(a.needResults() != 0 ? models : List.of(), models.size());
        });
    }

    /** libvirtd's node stats answer: with nparams 0 the count only; otherwise exactly that many are wanted. */
    private static NodeStatsRet nodeStats(Map<String, Long> stats, int nparams, String function) {
        if (nparams > HostWire.NODE_STATS_MAX) {
            throw rpc("nparams too large");
        }
        if (nparams == 0) {
            return new NodeStatsRet(List.of(), stats.size());
        }
        if (nparams != stats.size()) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.NONE, "nparams in " + function + " must be " + stats.size());
        }
        return new NodeStatsRet(
                stats.entrySet().stream()
                        .map(e -> new NodeStat(e.getKey(), e.getValue()))
                        .toList(),
                stats.size());
    }

    private static VirtException rpc(String detail) {
        return VirtException.of(ErrorCode.RPC, ErrorDomain.RPC, detail);
    }
}

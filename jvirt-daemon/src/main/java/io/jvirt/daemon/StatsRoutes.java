package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_ALL_DOMAIN_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_CONTROL_INFO;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_CPU_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_SCHEDULER_TYPE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_VCPUS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_VCPU_PIN_INFO;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MEMORY_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SET_MEMORY_STATS_PERIOD;

import io.jvirt.api.ControlInfo;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VcpuInfo;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.CpuMaps;
import io.jvirt.rpc.proto.StatsWire;
import io.jvirt.rpc.proto.StatsWire.ControlInfoRet;
import io.jvirt.rpc.proto.StatsWire.MemoryStat;
import io.jvirt.rpc.proto.StatsWire.ParamsRet;
import io.jvirt.rpc.proto.StatsWire.PinInfoRet;
import io.jvirt.rpc.proto.StatsWire.SchedulerTypeRet;
import io.jvirt.rpc.proto.StatsWire.StatsRecord;
import io.jvirt.rpc.proto.StatsWire.VcpuInfoWire;
import io.jvirt.rpc.proto.StatsWire.VcpusRet;
import java.util.List;

/**
 * Guest statistics procedures: bulk domain stats, memory statistics and their period, vCPUs and their pinning,
 * CPU totals and control state, with libvirtd's checks of the sizes the client asks for. All but the period are
 * allowed on read-only connections.
 */
final class StatsRoutes {
    /** {@code REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX}. */
    private static final int CPU_STATS_NCPUS_MAX = 128;
    /** {@code REMOTE_NODE_CPU_STATS_MAX}, the per-CPU parameter bound. */
    private static final int CPU_STATS_PARAMS_MAX = 16;

    private StatsRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.query(
                CONNECT_GET_ALL_DOMAIN_STATS,
                (c, a) -> c.driver().domainStats(a.doms(), a.stats(), a.flags()).stream()
                        .map(r -> new StatsRecord(r.domain(), r.params()))
                        .toList());
        t.query(DOMAIN_MEMORY_STATS, (c, a) -> {
            if (Integer.toUnsignedLong(a.maxStats()) > StatsWire.MEMORY_STATS_MAX) {
                throw rpc("maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX");
            }
            return c.driver().memoryStats(a.dom(), a.flags()).stream()
                    .limit(a.maxStats())
                    .map(s -> new MemoryStat(s.tag(), s.value()))
                    .toList();
        });
        t.mutate(DOMAIN_SET_MEMORY_STATS_PERIOD, (c, a) -> {
            c.driver().setMemoryStatsPeriod(a.dom(), a.period(), a.flags());
            return null;
        });
        t.query(DOMAIN_GET_VCPUS, (c, a) -> {
            checkMaps(a.maxinfo(), a.maplen(), "maxinfo");
            List<VcpuInfo> vcpus =
                    c.driver().vcpus(a.dom()).stream().limit(a.maxinfo()).toList();
            return new VcpusRet(
                    vcpus.stream()
                            .map(v -> new VcpuInfoWire(v.number(), v.state(), v.cpuTimeNs(), v.cpu()))
                            .toList(),
                    CpuMaps.of(vcpus.stream().map(VcpuInfo::affinity).toList(), a.maxinfo(), a.maplen()));
        });
        t.query(DOMAIN_GET_VCPU_PIN_INFO, (c, a) -> {
            checkMaps(a.ncpumaps(), a.maplen(), "ncpumaps");
            List<List<Integer>> pins = c.driver().vcpuPinInfo(a.dom(), a.flags()).stream()
                    .limit(a.ncpumaps())
                    .toList();
            return new PinInfoRet(CpuMaps.of(pins, a.ncpumaps(), a.maplen()), pins.size());
        });
        t.query(DOMAIN_GET_CPU_STATS, (c, a) -> {
            if (Integer.toUnsignedLong(a.nparams()) > CPU_STATS_PARAMS_MAX) {
                throw rpc("nparams too large");
            }
            if (Integer.toUnsignedLong(a.ncpus()) > CPU_STATS_NCPUS_MAX) {
                throw rpc("ncpus too large");
            }
            List<TypedParam> stats = c.driver().cpuStats(a.dom(), a.startCpu(), a.ncpus(), a.flags());
            if (a.nparams() == 0) {
                return new ParamsRet(List.of(), stats.size());
            }
            List<TypedParam> sent = stats.stream().limit(a.nparams()).toList();
            return new ParamsRet(sent, sent.size());
        });
        // The type comes with the tunables' count, so both ask the driver for the tunables.
        t.query(
                DOMAIN_GET_SCHEDULER_TYPE,
                (c, dom) -> new SchedulerTypeRet(
                        "posix", c.driver().schedulerParameters(dom, 0).size()));
        t.query(DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, (c, a) -> {
            if (Integer.toUnsignedLong(a.nparams()) > StatsWire.SCHEDULER_PARAMETERS_MAX) {
                throw rpc("nparams too large");
            }
            return c.driver().schedulerParameters(a.dom(), a.flags()).stream()
                    .limit(a.nparams())
                    .toList();
        });
        t.query(DOMAIN_GET_CONTROL_INFO, (c, a) -> {
            ControlInfo i = c.driver().controlInfo(a.dom(), a.flags());
            return new ControlInfoRet(i.state(), i.details(), i.stateTimeMs());
        });
    }

    /** libvirtd's bounds on the cpumaps a client asks for. */
    private static void checkMaps(int count, int maplen, String what) {
        if (count < 0 || maplen < 0 || count > StatsWire.VCPUINFO_MAX) {
            throw rpc(what + " > REMOTE_VCPUINFO_MAX");
        }
        if ((long) count * maplen > StatsWire.CPUMAPS_MAX) {
            throw rpc(what + " * maplen > REMOTE_CPUMAPS_MAX");
        }
    }

    private static VirtException rpc(String detail) {
        return VirtException.of(ErrorCode.RPC, ErrorDomain.RPC, detail);
    }
}

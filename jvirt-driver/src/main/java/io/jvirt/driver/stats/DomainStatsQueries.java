package io.jvirt.driver.stats;

import io.jvirt.api.ControlInfo;
import io.jvirt.api.DomainStatsRecord;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MemoryStat;
import io.jvirt.api.StatsTypes;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VcpuInfo;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.device.DeviceStatsGroups;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.SyncJobKind;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest statistics calls: bulk stats ({@code virConnectGetAllDomainStats}) in libvirt's group and field names,
 * memory statistics and their period, vCPUs and their pinning, CPU totals and control state.
 *
 * <p>Threading: the caller's thread; each domain is read inside a query job of its own.
 */
public final class DomainStatsQueries {
    /** The groups jvirt reports; the rest are left out, or refused with {@link StatsTypes#ENFORCE_STATS}. */
    public static final int SUPPORTED = StatsTypes.STATE
            | StatsTypes.CPU_TOTAL
            | StatsTypes.BALLOON
            | StatsTypes.VCPU
            | StatsTypes.INTERFACE
            | StatsTypes.BLOCK;

    private static final int ALLOWED_FLAGS =
            StatsTypes.DOMAIN_FILTERS | StatsTypes.NOWAIT | StatsTypes.BACKING | StatsTypes.ENFORCE_STATS;
    /** {@code VIR_TYPED_PARAM_STRING_OKAY}, which the client library adds to typed-parameter calls. */
    private static final int TYPED_PARAM_STRING_OKAY = 1 << 2;

    private static final int AFFECT_LIVE = 1;
    private static final int AFFECT_CONFIG = 2;

    private DomainStatsQueries() {}

    /** The groups {@code stats} asks for (0 means all jvirt has); unsupported ones fail only when enforced. */
    public static int groups(int stats, int flags) {
        if ((flags & ~ALLOWED_FLAGS) != 0) {
            throw unsupportedFlags(flags, "qemuConnectGetAllDomainStats");
        }
        if (stats == 0) {
            return SUPPORTED;
        }
        int unsupported = stats & ~SUPPORTED;
        if (unsupported != 0 && (flags & StatsTypes.ENFORCE_STATS) != 0) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "Stats types bits 0x" + Integer.toHexString(unsupported) + " are not supported by this daemon");
        }
        return stats & SUPPORTED;
    }

    /** One domain's record; a domain that went away meanwhile has none. */
    public static DomainStatsRecord record(DomainObj dom, int groups) {
        try (DomainObj.Job _ = dom.beginJob("stats", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            QemuRun run = dom.run();
            DomainDef def = run == null ? dom.def() : dom.liveDef();
            List<TypedParam> out = new ArrayList<>();
            if ((groups & StatsTypes.STATE) != 0) {
                out.add(TypedParam.integer("state.state", dom.status().state().wire()));
                out.add(TypedParam.integer("state.reason", dom.status().reason().wire()));
            }
            if ((groups & StatsTypes.CPU_TOTAL) != 0 && run != null) {
                ThreadStat qemu = ThreadStat.ofProcess(run.pid());
                out.add(TypedParam.ullong("cpu.time", qemu.cpuNs()));
                out.add(TypedParam.ullong("cpu.user", qemu.userNs()));
                out.add(TypedParam.ullong("cpu.system", qemu.systemNs()));
            }
            if ((groups & StatsTypes.BALLOON) != 0) {
                balloon(dom, run, def, out);
            }
            if ((groups & StatsTypes.VCPU) != 0) {
                out.add(new TypedParam("vcpu.current", TypedParam.Type.UINT, def.vcpus()));
                out.add(new TypedParam("vcpu.maximum", TypedParam.Type.UINT, def.vcpus()));
                if (run != null) {
                    for (VcpuThreads.Vcpu v : VcpuThreads.of(dom, run)) {
                        String p = "vcpu." + v.index() + ".";
                        out.add(TypedParam.integer(p + "state", VcpuInfo.RUNNING));
                        out.add(TypedParam.ullong(p + "time", v.stat().cpuNs()));
                        out.add(TypedParam.ullong(p + "wait", v.stat().waitNs()));
                        out.add(TypedParam.ullong(p + "delay", v.stat().delayNs()));
                    }
                }
            }
            if ((groups & StatsTypes.INTERFACE) != 0) {
                DeviceStatsGroups.net(def, run != null, out);
            }
            if ((groups & StatsTypes.BLOCK) != 0) {
                DeviceStatsGroups.block(dom, run, def, out);
            }
            return new DomainStatsRecord(dom.ref(), out);
        }
    }

    /** {@code balloon.current} and {@code balloon.maximum} (KiB), then the guest's counters while it runs. */
    private static void balloon(DomainObj dom, QemuRun run, DomainDef def, List<TypedParam> out) {
        if (run == null) {
            out.add(TypedParam.ullong("balloon.current", def.currentMemoryKiB()));
            out.add(TypedParam.ullong("balloon.maximum", def.memoryKiB()));
            return;
        }
        List<MemoryStat> stats = BalloonStats.of(dom, run);
        for (MemoryStat s : stats) {
            if (s.tag() == MemoryStat.ACTUAL_BALLOON) {
                out.add(TypedParam.ullong("balloon.current", s.value()));
                out.add(TypedParam.ullong("balloon.maximum", def.memoryKiB()));
            }
        }
        for (MemoryStat s : stats) {
            String name = balloonField(s.tag());
            if (name != null) {
                out.add(TypedParam.ullong("balloon." + name, s.value()));
            }
        }
    }

    /** libvirt's {@code balloon.} name of a memory stat tag; null for the ones reported otherwise. */
    private static String balloonField(int tag) {
        return switch (tag) {
            case MemoryStat.SWAP_IN -> "swap_in";
            case MemoryStat.SWAP_OUT -> "swap_out";
            case MemoryStat.MAJOR_FAULT -> "major_fault";
            case MemoryStat.MINOR_FAULT -> "minor_fault";
            case MemoryStat.UNUSED -> "unused";
            case MemoryStat.AVAILABLE -> "available";
            case MemoryStat.USABLE -> "usable";
            case MemoryStat.RSS -> "rss";
            case MemoryStat.LAST_UPDATE -> "last-update";
            case MemoryStat.DISK_CACHES -> "disk_caches";
            case MemoryStat.HUGETLB_PGALLOC -> "hugetlb_pgalloc";
            case MemoryStat.HUGETLB_PGFAIL -> "hugetlb_pgfail";
            default -> null;
        };
    }

    public static List<MemoryStat> memoryStats(DomainObj dom, int flags) {
        if (flags != 0) {
            throw unsupportedFlags(flags, "qemuDomainMemoryStats");
        }
        try (DomainObj.Job _ = dom.beginJob("memory stats", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            return BalloonStats.of(dom, requireRunning(dom));
        }
    }

    /** Sets the balloon's polling period on the running guest; the persistent definition has no such setting here. */
    public static void setMemoryStatsPeriod(DomainObj dom, int seconds, int flags) {
        if ((flags & ~(AFFECT_LIVE | AFFECT_CONFIG)) != 0) {
            throw unsupportedFlags(flags, "qemuDomainSetMemoryStatsPeriod");
        }
        if ((flags & AFFECT_CONFIG) != 0) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "jvirt keeps no memory statistics period in the persistent configuration");
        }
        if (seconds < 0) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid value for collection period");
        }
        try (DomainObj.Job _ =
                dom.beginJob("stats period", SyncJobKind.MODIFY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            BalloonStats.setPeriod(dom, requireRunning(dom), seconds);
        }
    }

    public static List<VcpuInfo> vcpus(DomainObj dom) {
        try (DomainObj.Job _ = dom.beginJob("vcpus", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            QemuRun run = dom.run();
            if (run == null) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID,
                        ErrorDomain.QEMU,
                        "cannot retrieve vcpu information for inactive domain");
            }
            return VcpuThreads.of(dom, run).stream().map(VcpuThreads.Vcpu::info).toList();
        }
    }

    /**
     * Each vCPU's allowed host CPUs: the live threads' affinity, or for the persistent definition (which pins
     * nothing) every online host CPU.
     */
    public static List<List<Integer>> vcpuPinInfo(DomainObj dom, int flags, List<Integer> hostCpus) {
        if ((flags & ~(AFFECT_LIVE | AFFECT_CONFIG)) != 0) {
            throw unsupportedFlags(flags, "qemuDomainGetVcpuPinInfo");
        }
        QemuRun run = dom.run();
        boolean live = (flags & AFFECT_LIVE) != 0 || ((flags & AFFECT_CONFIG) == 0 && run != null);
        if (live && run == null) {
            throw notRunning();
        }
        if (!live) {
            List<List<Integer>> all = new ArrayList<>();
            for (int i = 0; i < dom.def().vcpus(); i++) {
                all.add(hostCpus);
            }
            return all;
        }
        return vcpus(dom).stream().map(VcpuInfo::affinity).toList();
    }

    /** The totals ({@code start_cpu} -1); per host CPU figures need cgroups, which jvirt does not use. */
    public static List<TypedParam> cpuStats(DomainObj dom, int startCpu, int ncpus, int flags) {
        if ((flags & ~TYPED_PARAM_STRING_OKAY) != 0) {
            throw unsupportedFlags(flags, "qemuDomainGetCPUStats");
        }
        if (startCpu != -1) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cgroup CPUACCT controller is not mounted");
        }
        try (DomainObj.Job _ = dom.beginJob("cpu stats", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            ThreadStat qemu = ThreadStat.ofProcess(requireRunning(dom).pid());
            return List.of(
                    TypedParam.ullong("cpu_time", qemu.cpuNs()),
                    TypedParam.ullong("user_time", qemu.userNs()),
                    TypedParam.ullong("system_time", qemu.systemNs()));
        }
    }

    /**
     * Always "ok" for a running domain: jvirt's monitor calls time out rather than hang, so there is no state
     * where the driver has lost its hold on the QEMU while the domain still counts as running.
     */
    public static ControlInfo controlInfo(DomainObj dom, int flags) {
        if (flags != 0) {
            throw unsupportedFlags(flags, "qemuDomainGetControlInfo");
        }
        requireRunning(dom);
        return new ControlInfo(ControlInfo.OK, 0, 0);
    }

    private static QemuRun requireRunning(DomainObj dom) {
        QemuRun run = dom.run();
        if (run == null) {
            throw notRunning();
        }
        return run;
    }

    private static VirtException notRunning() {
        return VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
    }

    private static VirtException unsupportedFlags(int flags, String function) {
        return VirtException.of(
                ErrorCode.INVALID_ARG,
                ErrorDomain.QEMU,
                "unsupported flags (0x" + Integer.toHexString(flags) + ") in function " + function);
    }
}

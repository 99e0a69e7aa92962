package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.xdr.TypedParamCodec;
import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;

/** Guest statistics structs of {@code remote_protocol.x} (bulk stats, memory, vCPUs, CPU, control), wire order. */
public final class StatsWire {
    private StatsWire() {}

    /** {@code REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX} as libvirt 11.x has it. */
    public static final int ALL_DOMAIN_STATS_MAX = 262_144;
    /** {@code REMOTE_DOMAIN_MEMORY_STATS_MAX}. */
    public static final int MEMORY_STATS_MAX = 1_024;
    /** {@code REMOTE_VCPUINFO_MAX}. */
    public static final int VCPUINFO_MAX = 16_384;
    /** {@code REMOTE_CPUMAPS_MAX}. */
    public static final int CPUMAPS_MAX = 8_388_608;
    /** {@code REMOTE_DOMAIN_GET_CPU_STATS_MAX}. */
    public static final int CPU_STATS_MAX = 2_048;
    /** {@code REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX}. */
    public static final int SCHEDULER_PARAMETERS_MAX = 16;

    private static final XdrCodec<List<TypedParam>> RECORD_PARAMS = TypedParamCodec.list(ALL_DOMAIN_STATS_MAX);

    /** {@code remote_connect_get_all_domain_stats_args}: an empty domain list asks for every domain. */
    public record AllStatsArgs(List<DomainRef> doms, int stats, int flags) {
        public static final XdrCodec<AllStatsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.list(RemoteLimits.DOMAIN_LIST_MAX).encode(out, v.doms);
                    out.writeInt(v.stats);
                    out.writeInt(v.flags);
                },
                in -> new AllStatsArgs(
                        DOMAIN.list(RemoteLimits.DOMAIN_LIST_MAX).decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_stats_record}. */
    public record StatsRecord(DomainRef dom, List<TypedParam> params) {
        public static final XdrCodec<StatsRecord> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    RECORD_PARAMS.encode(out, v.params);
                },
                in -> new StatsRecord(DOMAIN.decode(in), RECORD_PARAMS.decode(in)));
    }

    /** {@code remote_connect_get_all_domain_stats_ret}. */
    public static final XdrCodec<List<StatsRecord>> STATS_RECORDS =
            StatsRecord.CODEC.list(RemoteLimits.DOMAIN_LIST_MAX);

    /** {@code remote_domain_memory_stats_args}: dom, maxStats, flags. */
    public record MemoryStatsArgs(DomainRef dom, int maxStats, int flags) {
        public static final XdrCodec<MemoryStatsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.maxStats);
                    out.writeInt(v.flags);
                },
                in -> new MemoryStatsArgs(DOMAIN.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_memory_stat}: a {@code virDomainMemoryStatTags} tag and its value. */
    public record MemoryStat(int tag, long val) {
        public static final XdrCodec<MemoryStat> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.tag);
                    out.writeHyper(v.val);
                },
                in -> new MemoryStat(in.readInt(), in.readHyper()));
    }

    /** {@code remote_domain_memory_stats_ret}. */
    public static final XdrCodec<List<MemoryStat>> MEMORY_STATS = MemoryStat.CODEC.list(MEMORY_STATS_MAX);

    /** {@code remote_domain_set_memory_stats_period_args}: dom, period (s), flags. */
    public record StatsPeriodArgs(DomainRef dom, int period, int flags) {
        public static final XdrCodec<StatsPeriodArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.period);
                    out.writeInt(v.flags);
                },
                in -> new StatsPeriodArgs(DOMAIN.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_get_vcpus_args}: dom, maxinfo, maplen. */
    public record VcpusArgs(DomainRef dom, int maxinfo, int maplen) {
        public static final XdrCodec<VcpusArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.maxinfo);
                    out.writeInt(v.maplen);
                },
                in -> new VcpusArgs(DOMAIN.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_vcpu_info}: number, state, cpu_time (ns), cpu (host CPU it last ran on). */
    public record VcpuInfoWire(int number, int state, long cpuTime, int cpu) {
        public static final XdrCodec<VcpuInfoWire> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.number);
                    out.writeInt(v.state);
                    out.writeHyper(v.cpuTime);
                    out.writeInt(v.cpu);
                },
                in -> new VcpuInfoWire(in.readInt(), in.readInt(), in.readHyper(), in.readInt()));
    }

    /** {@code remote_domain_get_vcpus_ret}: the infos, then maxinfo cpumaps of maplen bytes each. */
    public record VcpusRet(List<VcpuInfoWire> info, CpuMaps cpumaps) {
        public static final XdrCodec<VcpusRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    VcpuInfoWire.CODEC.list(VCPUINFO_MAX).encode(out, v.info);
                    CpuMaps.codec(CPUMAPS_MAX).encode(out, v.cpumaps);
                },
                in -> new VcpusRet(
                        VcpuInfoWire.CODEC.list(VCPUINFO_MAX).decode(in),
                        CpuMaps.codec(CPUMAPS_MAX).decode(in)));
    }

    /** {@code remote_domain_get_vcpu_pin_info_args}: dom, ncpumaps, maplen, flags. */
    public record PinInfoArgs(DomainRef dom, int ncpumaps, int maplen, int flags) {
        public static final XdrCodec<PinInfoArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.ncpumaps);
                    out.writeInt(v.maplen);
                    out.writeInt(v.flags);
                },
                in -> new PinInfoArgs(DOMAIN.decode(in), in.readInt(), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_get_vcpu_pin_info_ret}: cpumaps, then how many vCPUs they cover. */
    public record PinInfoRet(CpuMaps cpumaps, int num) {
        public static final XdrCodec<PinInfoRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    CpuMaps.codec(CPUMAPS_MAX).encode(out, v.cpumaps);
                    out.writeInt(v.num);
                },
                in -> new PinInfoRet(CpuMaps.codec(CPUMAPS_MAX).decode(in), in.readInt()));
    }

    /** {@code remote_domain_get_cpu_stats_args}: dom, nparams, start_cpu, ncpus, flags. */
    public record CpuStatsArgs(DomainRef dom, int nparams, int startCpu, int ncpus, int flags) {
        public static final XdrCodec<CpuStatsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.nparams);
                    out.writeInt(v.startCpu);
                    out.writeInt(v.ncpus);
                    out.writeInt(v.flags);
                },
                in -> new CpuStatsArgs(DOMAIN.decode(in), in.readInt(), in.readInt(), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_get_cpu_stats_ret} (and the other "params, nparams" rets). */
    public record ParamsRet(List<TypedParam> params, int nparams) {
        public static final XdrCodec<ParamsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    TypedParamCodec.list(CPU_STATS_MAX).encode(out, v.params);
                    out.writeInt(v.nparams);
                },
                in -> new ParamsRet(TypedParamCodec.list(CPU_STATS_MAX).decode(in), in.readInt()));
    }

    /** {@code remote_domain_get_control_info_ret}: state, details, stateTime (ms). */
    public record ControlInfoRet(int state, int details, long stateTime) {
        public static final XdrCodec<ControlInfoRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.state);
                    out.writeInt(v.details);
                    out.writeHyper(v.stateTime);
                },
                in -> new ControlInfoRet(in.readInt(), in.readInt(), in.readHyper()));
    }

    /** {@code remote_domain_get_scheduler_type_ret}. */
    public record SchedulerTypeRet(String type, int nparams) {
        public static final XdrCodec<SchedulerTypeRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.type);
                    out.writeInt(v.nparams);
                },
                in -> new SchedulerTypeRet(STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_get_scheduler_parameters_flags_args}: dom, nparams, flags. */
    public record SchedulerParamsArgs(DomainRef dom, int nparams, int flags) {
        public static final XdrCodec<SchedulerParamsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.nparams);
                    out.writeInt(v.flags);
                },
                in -> new SchedulerParamsArgs(DOMAIN.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_get_scheduler_parameters_flags_ret}. */
    public static final XdrCodec<List<TypedParam>> SCHEDULER_PARAMS = TypedParamCodec.list(SCHEDULER_PARAMETERS_MAX);

    /** {@code remote_connect_get_max_vcpus_args}: the optional type. */
    public static final XdrCodec<String> MAX_VCPUS_TYPE = OPTIONAL_STRING;
}

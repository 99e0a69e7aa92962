package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;

/** Host structs of {@code remote_protocol.x} (node statistics, CPU map, free memory, models), wire order. */
public final class HostWire {
    private HostWire() {}

    /** {@code REMOTE_NODE_CPU_STATS_MAX} and {@code REMOTE_NODE_MEMORY_STATS_MAX}. */
    public static final int NODE_STATS_MAX = 16;
    /** {@code REMOTE_NODE_MAX_CELLS}. */
    public static final int MAX_CELLS = 1_024;
    /** {@code REMOTE_CPUMAP_MAX}. */
    public static final int CPUMAP_MAX = 2_048;
    /** {@code REMOTE_CONNECT_CPU_MODELS_MAX}. */
    public static final int CPU_MODELS_MAX = 8_192;

    /** {@code remote_node_get_cpu_stats} / {@code remote_node_get_memory_stats}: a field and its value. */
    public record NodeStat(String field, long value) {
        public static final XdrCodec<NodeStat> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.field);
                    out.writeHyper(v.value);
                },
                in -> new NodeStat(STRING.decode(in), in.readHyper()));
    }

    /** {@code remote_node_get_cpu_stats_args}: cpuNum (-1 for all), nparams, flags. */
    public record NodeCpuStatsArgs(int cpuNum, int nparams, int flags) {
        public static final XdrCodec<NodeCpuStatsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.cpuNum);
                    out.writeInt(v.nparams);
                    out.writeInt(v.flags);
                },
                in -> new NodeCpuStatsArgs(in.readInt(), in.readInt(), in.readInt()));
    }

    /** {@code remote_node_get_memory_stats_args}: nparams, cellNum (-1 for all), flags. */
    public record NodeMemoryStatsArgs(int nparams, int cellNum, int flags) {
        public static final XdrCodec<NodeMemoryStatsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.nparams);
                    out.writeInt(v.cellNum);
                    out.writeInt(v.flags);
                },
                in -> new NodeMemoryStatsArgs(in.readInt(), in.readInt(), in.readInt()));
    }

    /** {@code remote_node_get_cpu_stats_ret} / {@code remote_node_get_memory_stats_ret}. */
    public record NodeStatsRet(List<NodeStat> params, int nparams) {
        public static final XdrCodec<NodeStatsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    NodeStat.CODEC.list(NODE_STATS_MAX).encode(out, v.params);
                    out.writeInt(v.nparams);
                },
                in -> new NodeStatsRet(NodeStat.CODEC.list(NODE_STATS_MAX).decode(in), in.readInt()));
    }

    /** {@code remote_node_get_cells_free_memory_args}: startCell, maxcells. */
    public record CellsFreeMemoryArgs(int startCell, int maxcells) {
        public static final XdrCodec<CellsFreeMemoryArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.startCell);
                    out.writeInt(v.maxcells);
                },
                in -> new CellsFreeMemoryArgs(in.readInt(), in.readInt()));
    }

    /** {@code remote_node_get_cells_free_memory_ret}: bytes free per cell. */
    public static final XdrCodec<List<Long>> CELLS = RemoteTypes.HYPER.list(MAX_CELLS);

    /** {@code remote_node_get_cpu_map_args}: need_map, need_online, flags. */
    public record CpuMapArgs(int needMap, int needOnline, int flags) {
        public static final XdrCodec<CpuMapArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.needMap);
                    out.writeInt(v.needOnline);
                    out.writeInt(v.flags);
                },
                in -> new CpuMapArgs(in.readInt(), in.readInt(), in.readInt()));
    }

    /** {@code remote_node_get_cpu_map_ret}: the online map, the online count, the CPU count. */
    public record CpuMapRet(CpuMaps cpumap, int online, int ret) {
        public static final XdrCodec<CpuMapRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    CpuMaps.codec(CPUMAP_MAX).encode(out, v.cpumap);
                    out.writeInt(v.online);
                    out.writeInt(v.ret);
                },
                in -> new CpuMapRet(CpuMaps.codec(CPUMAP_MAX).decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_connect_get_domain_capabilities_args}. */
    public record DomainCapsArgs(String emulatorbin, String arch, String machine, String virttype, int flags) {
        public static final XdrCodec<DomainCapsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    OPTIONAL_STRING.encode(out, v.emulatorbin);
                    OPTIONAL_STRING.encode(out, v.arch);
                    OPTIONAL_STRING.encode(out, v.machine);
                    OPTIONAL_STRING.encode(out, v.virttype);
                    out.writeInt(v.flags);
                },
                in -> new DomainCapsArgs(
                        OPTIONAL_STRING.decode(in),
                        OPTIONAL_STRING.decode(in),
                        OPTIONAL_STRING.decode(in),
                        OPTIONAL_STRING.decode(in),
                        in.readInt()));
    }

    /** {@code remote_connect_get_cpu_model_names_args}: arch, need_results, flags. */
    public record CpuModelsArgs(String arch, int needResults, int flags) {
        public static final XdrCodec<CpuModelsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.arch);
                    out.writeInt(v.needResults);
                    out.writeInt(v.flags);
                },
                in -> new CpuModelsArgs(STRING.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_connect_get_cpu_model_names_ret}: the names, and how many there are. */
    public record CpuModelsRet(List<String> models, int ret) {
        public static final XdrCodec<CpuModelsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.list(CPU_MODELS_MAX).encode(out, v.models);
                    out.writeInt(v.ret);
                },
                in -> new CpuModelsRet(STRING.list(CPU_MODELS_MAX).decode(in), in.readInt()));
    }
}

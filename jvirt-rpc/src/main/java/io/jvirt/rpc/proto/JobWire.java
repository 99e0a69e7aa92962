package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.JOB_STATS;

import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;

/** Job and event structs of {@code remote_protocol.x}, fields in wire order. */
public final class JobWire {
    private JobWire() {}

    /** {@code remote_domain_get_job_info_ret}: type, then eleven unsigned hypers (ms and bytes). */
    public record JobInfoRet(
            int type,
            long timeElapsed,
            long timeRemaining,
            long dataTotal,
            long dataProcessed,
            long dataRemaining,
            long memTotal,
            long memProcessed,
            long memRemaining,
            long fileTotal,
            long fileProcessed,
            long fileRemaining) {
        public static final XdrCodec<JobInfoRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.type);
                    for (long n : new long[] {
                        v.timeElapsed,
                        v.timeRemaining,
                        v.dataTotal,
                        v.dataProcessed,
                        v.dataRemaining,
                        v.memTotal,
                        v.memProcessed,
                        v.memRemaining,
                        v.fileTotal,
                        v.fileProcessed,
                        v.fileRemaining
                    }) {
                        out.writeHyper(n);
                    }
                },
                in -> new JobInfoRet(
                        in.readInt(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper(),
                        in.readHyper()));
    }

    /** {@code remote_domain_get_job_stats_ret}: job type and up to 64 typed params. */
    public record JobStatsRet(int type, List<TypedParam> params) {
        public static final XdrCodec<JobStatsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.type);
                    JOB_STATS.encode(out, v.params);
                },
                in -> new JobStatsRet(in.readInt(), JOB_STATS.decode(in)));
    }

    /** {@code remote_domain_event_lifecycle_msg} (proc 107, the pre-callback form). */
    public record LifecycleEvent(DomainRef dom, int event, int detail) {
        public static final XdrCodec<LifecycleEvent> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.event);
                    out.writeInt(v.detail);
                },
                in -> new LifecycleEvent(DOMAIN.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_event_callback_lifecycle_msg} (318): callbackID, then the 107 message. */
    public record CallbackLifecycleEvent(int callbackId, LifecycleEvent msg) {
        public static final XdrCodec<CallbackLifecycleEvent> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.callbackId);
                    LifecycleEvent.CODEC.encode(out, v.msg);
                },
                in -> new CallbackLifecycleEvent(in.readInt(), LifecycleEvent.CODEC.decode(in)));
    }

    /** {@code remote_domain_event_callback_job_completed_msg} (363). */
    public record JobCompletedEvent(int callbackId, DomainRef dom, List<TypedParam> params) {
        public static final XdrCodec<JobCompletedEvent> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.callbackId);
                    DOMAIN.encode(out, v.dom);
                    JOB_STATS.encode(out, v.params);
                },
                in -> new JobCompletedEvent(in.readInt(), DOMAIN.decode(in), JOB_STATS.decode(in)));
    }

    /** {@code remote_domain_event_callback_migration_iteration_msg} (359): callbackID, dom, iteration. */
    public record MigrationIterationEvent(int callbackId, DomainRef dom, int iteration) {
        public static final XdrCodec<MigrationIterationEvent> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.callbackId);
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.iteration);
                },
                in -> new MigrationIterationEvent(in.readInt(), DOMAIN.decode(in), in.readInt()));
    }
}

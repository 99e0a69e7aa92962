package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_ABORT_JOB;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_ABORT_JOB_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_CORE_DUMP;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_CORE_DUMP_WITH_FORMAT;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_JOB_INFO;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_JOB_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_HAS_MANAGED_SAVE_IMAGE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MANAGED_SAVE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_MANAGED_SAVE_REMOVE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_RESTORE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_RESTORE_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_RESTORE_PARAMS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SAVE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SAVE_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SAVE_IMAGE_DEFINE_XML;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SAVE_IMAGE_GET_XML_DESC;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SAVE_PARAMS;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobInfo;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.JobWire.JobInfoRet;
import io.jvirt.rpc.proto.JobWire.JobStatsRet;
import java.util.List;

/** Job queries and control, save/restore, managed save and core dump. */
final class JobRoutes {
    /** {@code VIR_DOMAIN_SAVE_PARAM_*} names. */
    static final String PARAM_FILE = "file";

    static final String PARAM_DXML = "dxml";
    static final String PARAM_IMAGE_FORMAT = "image_format";

    private JobRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.query(DOMAIN_GET_JOB_INFO, (c, d) -> jobInfo(c.driver().jobInfo(d)));
        t.query(DOMAIN_GET_JOB_STATS, (c, a) -> jobStats(c.driver().jobStats(a.dom(), a.flags())));
        t.mutate(DOMAIN_ABORT_JOB, (c, d) -> {
            c.driver().abortJob(d);
            return null;
        });
        t.mutate(DOMAIN_ABORT_JOB_FLAGS, (c, a) -> {
            c.driver().abortJob(a.dom(), a.flags());
            return null;
        });

        t.mutate(DOMAIN_SAVE, (c, a) -> {
            c.driver().save(a.dom(), a.to(), null, null, 0);
            return null;
        });
        t.mutate(DOMAIN_SAVE_FLAGS, (c, a) -> {
            c.driver().save(a.dom(), a.to(), a.dxml(), null, a.flags());
            return null;
        });
        t.mutate(DOMAIN_SAVE_PARAMS, (c, a) -> {
            c.driver()
                    .save(
                            a.dom(),
                            required(a.params(), PARAM_FILE),
                            optional(a.params(), PARAM_DXML),
                            optional(a.params(), PARAM_IMAGE_FORMAT),
                            a.flags());
            return null;
        });
        t.mutate(DOMAIN_RESTORE, (c, from) -> {
            c.driver().restore(from, null, 0);
            return null;
        });
        t.mutate(DOMAIN_RESTORE_FLAGS, (c, a) -> {
            c.driver().restore(a.from(), a.dxml(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_RESTORE_PARAMS, (c, a) -> {
            c.driver().restore(required(a.params(), PARAM_FILE), optional(a.params(), PARAM_DXML), a.flags());
            return null;
        });
        // Reads a file the client names with the daemon's rights: not for read-only clients.
        t.mutate(DOMAIN_SAVE_IMAGE_GET_XML_DESC, (c, a) -> c.driver().saveImageXml(a.file(), a.flags()));
        t.mutate(DOMAIN_SAVE_IMAGE_DEFINE_XML, (c, a) -> {
            c.driver().saveImageDefineXml(a.file(), a.dxml(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_MANAGED_SAVE, (c, a) -> {
            c.driver().managedSave(a.dom(), a.flags());
            return null;
        });
        t.query(DOMAIN_HAS_MANAGED_SAVE_IMAGE, (c, a) -> c.driver().hasManagedSaveImage(a.dom()) ? 1 : 0);
        t.mutate(DOMAIN_MANAGED_SAVE_REMOVE, (c, a) -> {
            c.driver().managedSaveRemove(a.dom());
            return null;
        });
        t.mutate(DOMAIN_CORE_DUMP, (c, a) -> {
            c.driver().coreDump(a.dom(), a.to(), 0, a.flags());
            return null;
        });
        t.mutate(DOMAIN_CORE_DUMP_WITH_FORMAT, (c, a) -> {
            c.driver().coreDump(a.dom(), a.to(), a.dumpFormat(), a.flags());
            return null;
        });
    }

    static JobInfoRet jobInfo(JobInfo j) {
        return new JobInfoRet(
                j.type().wire(),
                j.timeElapsedMs(),
                j.timeRemainingMs(),
                j.dataTotal(),
                j.dataProcessed(),
                j.dataRemaining(),
                j.memTotal(),
                j.memProcessed(),
                j.memRemaining(),
                j.fileTotal(),
                j.fileProcessed(),
                j.fileRemaining());
    }

    /** The driver lists the job type as a {@code type} parameter; on the wire it is a field of its own. */
    static JobStatsRet jobStats(List<TypedParam> stats) {
        int type =
                TypedParam.find(stats, "type").map(v -> ((Number) v).intValue()).orElse(JobType.NONE.wire());
        return new JobStatsRet(
                type, stats.stream().filter(p -> !p.field().equals("type")).toList());
    }

    private static String required(List<TypedParam> params, String field) {
        String v = optional(params, field);
        if (v == null) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "missing parameter '" + field + "'");
        }
        return v;
    }

    private static String optional(List<TypedParam> params, String field) {
        return TypedParam.find(params, field).map(Object::toString).orElse(null);
    }
}

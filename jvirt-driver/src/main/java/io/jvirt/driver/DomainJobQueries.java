package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobInfo;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.JobType;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.migration.MigrationControl;
import io.jvirt.driver.migration.MigrationJob;
import java.util.List;

/**
 * The job calls of the API: job info and statistics (current or of the last completed job), and abort. None takes
 * the domain's job: they must answer while a long job holds it.
 *
 * <p>Threading: any caller thread, concurrently with the job's own thread.
 */
final class DomainJobQueries {
    private static final List<TypedParam> NO_JOB = List.of(TypedParam.integer("type", JobType.NONE.wire()));

    private DomainJobQueries() {}

    static JobInfo info(DomainObj dom) {
        DomainJob job = dom.asyncJob();
        return job == null ? JobInfo.NONE : job.info();
    }

    static List<TypedParam> stats(DomainObj dom, int flags) {
        if ((flags & JobStatsFlags.COMPLETED) != 0) {
            List<TypedParam> completed = dom.completedJobStats();
            if ((flags & JobStatsFlags.KEEP_COMPLETED) == 0) {
                dom.setCompletedJobStats(null);
            }
            return completed == null ? NO_JOB : completed;
        }
        DomainJob job = dom.asyncJob();
        if (job != null && job.kind() == AsyncJobKind.MIGRATION_IN) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "migration statistics are available only on the source host");
        }
        return job == null ? NO_JOB : job.stats();
    }

    static void abort(DomainObj dom, int flags) {
        DomainJob job = dom.asyncJob();
        if (job == null) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "no job is active on the domain");
        }
        if (job instanceof MigrationJob) {
            MigrationControl.abort(dom, job, flags);
        } else {
            job.abort();
        }
    }
}

package io.jvirt.driver.job;

import io.jvirt.api.JobOperation;
import java.util.EnumSet;
import java.util.Set;

/**
 * libvirt's {@code virDomainAsyncJob}: the long jobs that run while queries, abort and destroy stay possible.
 * Numbers and names are those of libvirt's status XML; {@link #jobName()} is how errors name the job.
 */
public enum AsyncJobKind {
    MIGRATION_OUT(1, "migration out", "migration out", JobOperation.MIGRATION_OUT),
    MIGRATION_IN(2, "migration in", "migration in", JobOperation.MIGRATION_IN),
    SAVE(3, "save", "domain save", JobOperation.SAVE),
    DUMP(4, "dump", "domain core dump", JobOperation.DUMP),
    START(6, "start", "start", JobOperation.RESTORE);

    private final int onDisk;
    private final String xmlName;
    private final String jobName;
    private final JobOperation operation;

    AsyncJobKind(int onDisk, String xmlName, String jobName, JobOperation operation) {
        this.onDisk = onDisk;
        this.xmlName = xmlName;
        this.jobName = jobName;
        this.operation = operation;
    }

    public int onDisk() {
        return onDisk;
    }

    public String xmlName() {
        return xmlName;
    }

    /** The name libvirt's messages use: "job 'domain save' canceled by client". */
    public String jobName() {
        return jobName;
    }

    /**
     * Whether a short job of {@code kind} may run while this async job does. As libvirt: queries, destroy and abort
     * always; an outgoing migration also lets the guest be suspended and its speed and downtime be changed; an
     * incoming one only what is migration-safe.
     */
    public boolean allows(SyncJobKind kind) {
        Set<SyncJobKind> allowed = switch (this) {
            case MIGRATION_OUT ->
                EnumSet.of(
                        SyncJobKind.QUERY,
                        SyncJobKind.DESTROY,
                        SyncJobKind.ABORT,
                        SyncJobKind.SUSPEND,
                        SyncJobKind.MIGRATION_OP,
                        SyncJobKind.MODIFY_MIGRATION_SAFE);
            case MIGRATION_IN -> EnumSet.of(SyncJobKind.DESTROY, SyncJobKind.MODIFY_MIGRATION_SAFE);
            default -> EnumSet.of(SyncJobKind.QUERY, SyncJobKind.DESTROY, SyncJobKind.ABORT);
        };
        return allowed.contains(kind);
    }

    /** The operation job statistics report (a START job here is always a restore). */
    public JobOperation operation() {
        return operation;
    }
}

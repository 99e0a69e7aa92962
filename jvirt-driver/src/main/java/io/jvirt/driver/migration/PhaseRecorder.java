package io.jvirt.driver.migration;

import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DriverContext;

/**
 * Moves a migration job between its phases and writes each step into the domain's status file, so that a driver
 * opening the root after a crash finds the phase the job was in (see {@link MigrationRecovery}).
 *
 * <p>Threading: called on the phase's API thread, under the domain's job.
 */
final class PhaseRecorder {
    private static final System.Logger LOG = System.getLogger(PhaseRecorder.class.getName());

    private PhaseRecorder() {}

    /** Moves the job to {@code phase}, writes it into the status file and logs the step (jvirtd.conf's log_*). */
    static void enter(DriverContext ctx, DomainObj dom, MigrationJob job, MigrationPhase phase) {
        MigrationPhase from = job.phase();
        job.enter(phase);
        ctx.saveStatus(dom);
        LOG.log(
                System.Logger.Level.INFO,
                "migration of {0}: phase {1} -> {2}, {3} ms into the job",
                dom.name(),
                from.xmlName(),
                phase.xmlName(),
                Long.toString(job.elapsedMillis()));
    }

    /** Ends the job and writes the status file without it. */
    static void end(DriverContext ctx, DomainObj dom, MigrationJob job) {
        dom.endAsyncJob(job);
        ctx.saveStatus(dom);
    }
}

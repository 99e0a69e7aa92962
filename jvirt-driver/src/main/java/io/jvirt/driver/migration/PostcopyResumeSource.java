package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.migration.cookie.CookieFeature;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.driver.migration.tunnel.OutgoingTransport;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The source side of resuming a failed post-copy migration (VIR_MIGRATE_POSTCOPY_RESUME). Begin checks that the
 * guest is paused here with its post-copy failed and that QEMU waits in {@code postcopy-paused}, and starts the job;
 * Perform reconnects QEMU to the destination's recovering QEMU ({@code migrate} with {@code resume}) and returns once
 * post-copy runs again; Confirm is {@link MigrationSource#confirm}'s, which waits for the last pages and ends the
 * source. A failure leaves the guest as it was, paused (post-copy failed), for another attempt.
 *
 * <p>Threading: each phase on the calling API thread.
 */
final class PostcopyResumeSource {
    private final DriverContext ctx;

    PostcopyResumeSource(DriverContext ctx) {
        this.ctx = ctx;
    }

    /** Begin (phase begin_resume): the checks, then the job that Perform and Confirm carry on. */
    MigrationBegin begin(DomainObj dom, String xml, long flags) {
        if ((flags & (MigrateFlags.CHANGE_PROTECTION | MigrateFlags.PEER2PEER)) == 0) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "resuming failed post-copy migration requires change protection");
        }
        QemuRun run = dom.requireRun();
        PostcopyResumeChecks.requireFailedPostcopy(dom, AsyncJobKind.MIGRATION_OUT);
        PostcopyResumeChecks.requireQemuPaused(dom, run);
        MigrationJob job = PostcopyResumeChecks.resumeJob(dom, AsyncJobKind.MIGRATION_OUT, flags, run);
        PhaseRecorder.enter(ctx, dom, job, MigrationPhase.BEGIN_RESUME);
        return new MigrationBegin(xml, MigrationCookieXml.format(CookieSections.identity(ctx, dom.name(), dom.uuid())));
    }

    /**
     * Perform (phase perform_resume): QEMU connects to {@code uri} and resumes sending the pages the destination
     * still misses. Returns the cookie for Finish once QEMU reports post-copy active again.
     */
    String perform(DomainObj dom, MigrationJob job, String uri, String cookieIn, OutgoingTransport transport) {
        QemuRun run = dom.requireRun();
        PhaseRecorder.enter(ctx, dom, job, MigrationPhase.PERFORM_RESUME);
        try {
            MigrationCookieXml.parse(
                    cookieIn,
                    EnumSet.of(CookieFeature.GRAPHICS, CookieFeature.CAPABILITIES),
                    dom.name(),
                    dom.uuid(),
                    ctx.hostUuid());
            if (uri == null) {
                throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "migration URI is not set");
            }
            Monitor monitor = run.monitor();
            // The last status QEMU reported is the pause; from here on only the resumed migration's count.
            run.resetMigrationStatus();
            transport.attach(dom.name(), monitor);
            MonitorCalls.run(
                    dom.name(),
                    () -> monitor.execute("migrate", Map.of("uri", MigrationUris.forQemu(uri), "resume", true)));
            MigrationWait.await(
                    run, job, Set.of(MigrationStatus.POSTCOPY_ACTIVE), "migration out", false, transport::lost);
            ctx.updateStatus(dom, run, StateReason.PAUSED_POSTCOPY);
            dom.setCompletedJobStats(job.completedStats(JobType.COMPLETED));
            return MigrationCookieXml.format(CookieSections.identity(ctx, dom.name(), dom.uuid()));
        } catch (RuntimeException e) {
            transport.close();
            // Still post-copy failed (QEMU is back in postcopy-paused, or never left it): ready for another try.
            PostcopyFailure.source(ctx, dom, run);
            PhaseRecorder.end(ctx, dom, job);
            throw e;
        }
    }
}

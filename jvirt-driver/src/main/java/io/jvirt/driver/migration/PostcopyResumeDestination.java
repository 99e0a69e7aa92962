package io.jvirt.driver.migration;

import io.jvirt.api.MigrationPrepared;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.root.MigrationSettings;
import io.jvirt.qmp.Monitor;
import java.util.Map;

/**
 * The destination side of resuming a failed post-copy migration (VIR_MIGRATE_POSTCOPY_RESUME): Prepare finds the
 * guest that still runs here with its post-copy failed, checks that QEMU waits in {@code postcopy-paused}, and has it
 * listen for the source again ({@code migrate-recover}) on a port of the migration range. Finish is
 * {@link MigrationDestination#finish}'s: it waits for the last pages and the guest runs on, migrated; a failure
 * leaves it running (post-copy failed), never killed, since only this QEMU has the guest's newest memory.
 *
 * <p>Threading: the calling API thread.
 */
final class PostcopyResumeDestination {
    private final DriverContext ctx;

    PostcopyResumeDestination(DriverContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Prepare (phase prepare_resume); {@code def} is the source's XML, named as the guest is here, whose cookie the
     * caller has checked.
     */
    MigrationPrepared prepare(DomainDef def, String remoteName, MigrationOptions options, long flags) {
        DomainObj dom = ctx.registry().lookupByName(def.name());
        QemuRun run = dom.requireRun();
        PostcopyResumeChecks.requireFailedPostcopy(dom, AsyncJobKind.MIGRATION_IN);
        PostcopyResumeChecks.requireQemuPaused(dom, run);
        MigrationJob job = PostcopyResumeChecks.resumeJob(dom, AsyncJobKind.MIGRATION_IN, flags, run);
        job.setRemoteName(remoteName);
        try {
            PhaseRecorder.enter(ctx, dom, job, MigrationPhase.PREPARE_RESUME);
            MigrationSettings settings = ctx.settings().migration();
            String listen = options.listenAddress() != null ? options.listenAddress() : settings.address();
            String host = options.listenAddress() != null ? options.listenAddress() : settings.host();
            if (options.uri() != null) {
                host = MigrationUris.uriHost(options.uri());
            }
            Monitor monitor = run.monitor();
            // Finish waits for the resumed migration's own statuses, not the pause QEMU reported last.
            run.resetMigrationStatus();
            int port = MigrationPorts.listenOnFree(
                    settings,
                    listen,
                    // Out of band: the main loop may be blocked until the pages flow again.
                    p -> MonitorCalls.run(
                            dom.name(),
                            () -> monitor.executeOutOfBand(
                                    "migrate-recover",
                                    Map.of("uri", "tcp:" + MigrationUris.bracket(listen) + ":" + p))));
            job.setPort(port);
            String cookie = MigrationCookieXml.format(CookieSections.identity(ctx, remoteName, dom.uuid()));
            return new MigrationPrepared(cookie, "tcp:" + MigrationUris.bracket(host) + ":" + port);
        } catch (RuntimeException e) {
            MigrationPorts.release(job.port());
            PhaseRecorder.end(ctx, dom, job);
            throw e;
        }
    }
}

package io.jvirt.driver.migration;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.config.FormatFlag;
import io.jvirt.config.ImplicitUsb;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.migration.cookie.CookieFeature;
import io.jvirt.driver.migration.cookie.CookieNbd;
import io.jvirt.driver.migration.cookie.GraphicsRelocation;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.driver.migration.storage.CopiedDisks;
import io.jvirt.driver.migration.storage.DiskMirrors;
import io.jvirt.driver.migration.storage.NbdUris;
import io.jvirt.driver.migration.tunnel.OutgoingTransport;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.root.MigrationTlsSettings;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.NbdAddress;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The source side of a migration: Begin (checks, the XML and cookie for the destination), Perform (QEMU sends the
 * guest's state; the job can be watched, aborted, suspended and re-tuned meanwhile), Confirm (the source's QEMU
 * stops, or on cancel the guest runs on), and v2's all-in-one Perform. Whatever fails, the guest is left running
 * here unless the destination has it: Perform puts it back itself, Confirm(cancelled) when the destination failed.
 *
 * <p>Threading: each phase runs on the calling API thread; abort, suspend and speed changes come from others while
 * Perform waits on QEMU's MIGRATION events.
 *
 * <p>Once QEMU has switched to post-copy there is no way back: a failure after that (Finish failing, the
 * destination lost) leaves the guest paused here, post-copy failed, and ends the job.
 */
public final class MigrationSource {
    private static final Logger LOG = System.getLogger(MigrationSource.class.getName());

    private final DriverContext ctx;
    private final DomainLifecycle lifecycle;

    public MigrationSource(DriverContext ctx, DomainLifecycle lifecycle) {
        this.ctx = ctx;
        this.lifecycle = lifecycle;
    }

    /** Begin3: the domain XML and cookie for Prepare; with change protection the job starts here. */
    public MigrationBegin begin(DomainObj dom, List<TypedParam> params, long flags) {
        return begin(dom, params, flags, false);
    }

    /**
     * As {@link #begin(DomainObj, List, long)}; {@code storageThroughTunnel}: a peer-to-peer source whose
     * destination carries storage migration through the tunnel, which is then allowed with TUNNELLED.
     */
    public MigrationBegin begin(DomainObj dom, List<TypedParam> params, long flags, boolean storageThroughTunnel) {
        MigrationOptions options =
                MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE, storageThroughTunnel);
        if (PostcopyResumeChecks.asked(flags)) {
            return new PostcopyResumeSource(ctx).begin(dom, migratableXml(dom, options), flags);
        }
        checkMigratable(dom, options);
        String xml = migratableXml(dom, options);
        if (options.offline()) {
            xml = DomainXml.format(
                    ImplicitUsb.explicit(dom.persistentDef()), EnumSet.of(FormatFlag.INACTIVE, FormatFlag.MIGRATABLE));
        }
        MigrationCookie cookie =
                CookieSections.identity(ctx, dom.name(), dom.uuid()).withMandatory(CookieFeature.LOCKSTATE);
        if (!options.offline()) {
            // switchover-ack needs the return path, which a tunnel does not have
            cookie = cookie.withCapabilities(CookieSections.offered(
                    dom.requireRun().monitor(),
                    dom.name(),
                    options.tunnelled() ? Set.of() : Set.of(QemuMigrationSettings.SWITCHOVER_ACK)));
            if (options.copiesStorage()) {
                CopiedDisks.checkNamed(dom.def(), options.migrateDisks());
                List<DiskDef> disks = CopiedDisks.of(dom.def(), options.migrateDisks());
                if (!disks.isEmpty()) {
                    cookie = cookie.withNbd(CopiedDisks.offer(dom.requireRun().monitor(), dom.name(), disks));
                }
            }
        }
        if ((flags & MigrateFlags.CHANGE_PROTECTION) != 0 && !options.offline()) {
            MigrationJob job = startJob(dom, flags);
            PhaseRecorder.enter(ctx, dom, job, MigrationPhase.BEGIN3);
        }
        return new MigrationBegin(xml, MigrationCookieXml.format(cookie));
    }

    /**
     * Perform3: migrates to the URI the destination gave; returns the cookie for Finish. On failure the source
     * is back as it was (QEMU's migration cancelled, the guest resumed) and the job is over.
     */
    public String perform(DomainObj dom, List<TypedParam> params, String cookieIn, long flags) {
        return perform(dom, params, cookieIn, flags, OutgoingTransport.NATIVE);
    }

    /** Perform3 with the bytes leaving through {@code transport} (peer-to-peer, tunnelled). */
    public String perform(
            DomainObj dom, List<TypedParam> params, String cookieIn, long flags, OutgoingTransport transport) {
        MigrationOptions options =
                MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE, transport.nbdServer() != null);
        if (PostcopyResumeChecks.asked(flags)) {
            String uri = transport.uri() != null ? transport.uri() : options.uri();
            return new PostcopyResumeSource(ctx).perform(dom, parkedJob(dom), uri, cookieIn, transport);
        }
        if ((flags & MigrateFlags.CHANGE_PROTECTION) == 0) {
            checkMigratable(dom, options);
        }
        QemuRun run = dom.requireRun();
        MigrationJob job = (flags & MigrateFlags.CHANGE_PROTECTION) != 0 ? parkedJob(dom) : startJob(dom, flags);
        // A step the protocol refuses (a second Perform) is refused before anything is touched or undone.
        PhaseRecorder.enter(ctx, dom, job, MigrationPhase.PERFORM3);
        try {
            MigrationCookie destination = MigrationCookieXml.parse(
                    cookieIn,
                    EnumSet.of(CookieFeature.GRAPHICS, CookieFeature.CAPABILITIES, CookieFeature.NBD),
                    dom.name(),
                    dom.uuid(),
                    ctx.hostUuid());
            transfer(dom, run, job, options, destination, transport);
            PhaseRecorder.enter(ctx, dom, job, MigrationPhase.PERFORM3_DONE);
            MigrationCookie out = CookieSections.identity(ctx, dom.name(), dom.uuid())
                    .withStatistics(CookieSections.statistics(job, dom.completedJobStats()));
            if (destination.nbd() != null && options.copiesStorage()) {
                out = out.withNbd(destination.nbd().withPort(0));
            }
            if (options.persistDest()) {
                out = out.withPersistent(persistentXml(dom, options)).withMandatory(CookieFeature.PERSISTENT);
            }
            return MigrationCookieXml.format(out);
        } catch (RuntimeException e) {
            transport.close();
            fail(dom, run, job, e);
            throw e;
        }
    }

    /**
     * The cookie an offline peer-to-peer source hands the destination's Finish3 in place of Perform's (there is no
     * Perform offline): this host's identity, which a libvirt destination checks is not its own, and the persistent
     * definition when the flags ask for one.
     */
    public String offlineFinishCookie(DomainObj dom, List<TypedParam> params, long flags) {
        MigrationOptions options = MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE);
        MigrationCookie out = CookieSections.identity(ctx, dom.name(), dom.uuid());
        if (options.persistDest()) {
            out = out.withPersistent(persistentXml(dom, options)).withMandatory(CookieFeature.PERSISTENT);
        }
        return MigrationCookieXml.format(out);
    }

    /** Confirm3: the source's QEMU stops (shut off, migrated), or with {@code cancelled} the guest runs on here. */
    public void confirm(DomainObj dom, String cookieIn, long flags, boolean cancelled) {
        if ((flags & MigrateFlags.OFFLINE) != 0) {
            if (!cancelled && (flags & MigrateFlags.UNDEFINE_SOURCE) != 0) {
                undefineSource(dom);
            }
            return;
        }
        MigrationJob job = parkedJob(dom);
        QemuRun run = dom.run();
        try {
            if (cancelled
                    && run != null
                    && job.postcopyStarted()
                    && run.migrationStatus() == MigrationStatus.COMPLETED) {
                // The destination's Finish failed, but QEMU had sent everything: the guest lives there.
                LOG.log(
                        Level.DEBUG,
                        "finish of {0} failed, but its post-copy migration completed; confirming",
                        dom.name());
            } else if (cancelled) {
                PhaseRecorder.enter(
                        ctx,
                        dom,
                        job,
                        PostcopyResumeChecks.asked(flags)
                                ? MigrationPhase.CONFIRM_RESUME
                                : MigrationPhase.CONFIRM3_CANCELLED);
                dom.setCompletedJobStats(null);
                if (run != null) {
                    rollBack(dom, run, job);
                }
                return;
            }
            PhaseRecorder.enter(
                    ctx,
                    dom,
                    job,
                    PostcopyResumeChecks.asked(flags) ? MigrationPhase.CONFIRM_RESUME : MigrationPhase.CONFIRM3);
            if (cookieIn != null && !cookieIn.isEmpty()) {
                MigrationCookieXml.parse(
                        cookieIn, EnumSet.of(CookieFeature.STATISTICS), dom.name(), dom.uuid(), ctx.hostUuid());
            }
            if (job.postcopyStarted() && run != null) {
                // The destination runs the guest already; the source serves its missing pages until QEMU is done.
                try {
                    MigrationWait.await(run, job, Set.of(MigrationStatus.POSTCOPY_PAUSED), "migration out", false);
                } catch (VirtException e) {
                    PostcopyFailure.source(ctx, dom, run);
                    throw e;
                }
            }
            stopAndAnnounce(dom, run, job);
        } finally {
            PhaseRecorder.end(ctx, dom, job);
        }
    }

    /** The guest runs on the destination: it stops here (shut off, migrated) and its completed job is announced. */
    private void stopAndAnnounce(DomainObj dom, QemuRun run, MigrationJob job) {
        DomainRef ref = dom.ref();
        stopMigrated(dom, run, job);
        List<TypedParam> stats = dom.completedJobStats();
        if (stats != null) {
            ctx.events().emit(new DomainEvent.JobCompleted(ref, stats));
        }
    }

    /** v2's Perform: the whole transfer, and on success the source's QEMU stops at once. */
    public void performVersion2(DomainObj dom, String uri, long flags, String dname, long bandwidthMiBps) {
        List<TypedParam> params = new ArrayList<>();
        params.add(TypedParam.string(MigrateParams.URI, uri));
        if (dname != null) {
            params.add(TypedParam.string(MigrateParams.DEST_NAME, dname));
        }
        if (bandwidthMiBps > 0) {
            params.add(TypedParam.ullong(MigrateParams.BANDWIDTH, bandwidthMiBps));
        }
        refusePostcopy(flags);
        MigrationOptions options = MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE);
        checkMigratable(dom, options);
        QemuRun run = dom.requireRun();
        MigrationJob job = startJob(dom, flags);
        try {
            PhaseRecorder.enter(ctx, dom, job, MigrationPhase.PERFORM2);
            transfer(dom, run, job, options, null, OutgoingTransport.NATIVE);
        } catch (RuntimeException e) {
            fail(dom, run, job, e);
            throw e;
        }
        try {
            stopMigrated(dom, run, job);
        } finally {
            PhaseRecorder.end(ctx, dom, job);
        }
    }

    /**
     * Peer-to-peer over v2, before the destination's Prepare2: the checks, and the MIGRATION_OUT job started as
     * libvirt's Perform job starts it (there is no Begin in v2). Returns the XML for Prepare2's dom_xml: the live
     * definition in migratable form, or {@code destination_xml} when given (checked as Begin checks it).
     */
    public String beginPeerVersion2(DomainObj dom, List<TypedParam> params, long flags) {
        refusePostcopy(flags);
        MigrationOptions options = MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE);
        checkMigratable(dom, options);
        String xml = migratableXml(dom, options);
        startJob(dom, flags);
        return xml;
    }

    /**
     * Peer-to-peer over v2, the transfer (phase perform2) with no cookies either way. On success the guest waits
     * here, paused, for {@link #endPeerVersion2}: unlike v2's own Perform, the source's QEMU stays until the
     * destination's Finish2 has answered. On failure the source is back as it was and the job is over.
     */
    public void performPeerVersion2(DomainObj dom, List<TypedParam> params, long flags, OutgoingTransport transport) {
        MigrationOptions options = MigrationOptions.parse(params, flags, MigrationOptions.Side.SOURCE);
        QemuRun run = dom.requireRun();
        MigrationJob job = parkedJob(dom);
        PhaseRecorder.enter(ctx, dom, job, MigrationPhase.PERFORM2);
        try {
            transfer(dom, run, job, options, null, transport);
        } catch (RuntimeException e) {
            transport.close();
            fail(dom, run, job, e);
            throw e;
        }
    }

    /**
     * Peer-to-peer over v2, the end: when the destination runs the guest its QEMU here stops (shut off, migrated);
     * otherwise (Prepare2 or Finish2 failed) the guest runs on here. Ends the job either way.
     */
    public void endPeerVersion2(DomainObj dom, boolean destinationRuns) {
        MigrationJob job = parkedJob(dom);
        QemuRun run = dom.run();
        try {
            if (!destinationRuns) {
                if (run != null) {
                    rollBack(dom, run, job);
                }
                return;
            }
            stopAndAnnounce(dom, run, job);
        } finally {
            PhaseRecorder.end(ctx, dom, job);
        }
    }

    /**
     * v2 stops the source as soon as its Perform returns, with no Finish in between that could wait for the pages a
     * post-copy destination still pulls from it: the guest would be lost, so post-copy needs v3.
     */
    private static void refusePostcopy(long flags) {
        if ((flags & MigrateFlags.POSTCOPY) != 0) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "post-copy migration needs migration protocol v3, which the destination does not offer");
        }
    }

    private void checkMigratable(DomainObj dom, MigrationOptions options) {
        MigrationTlsSettings tls = ctx.settings().migration().tls();
        MigrationTls.checkAllowed(options, tls);
        if (options.tls() && !options.offline()) {
            MigrationTls.checkFiles(tls, MigrationOptions.Side.SOURCE);
        }
        if (options.offline()) {
            if (!dom.isPersistent()) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot migrate a transient domain offline");
            }
            return;
        }
        dom.requireRun();
        DomainJob busy = dom.asyncJob();
        if (busy != null && busy.kind() == AsyncJobKind.MIGRATION_OUT) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "another migration job is already running for domain '" + dom.name() + "'");
        }
    }

    private String migratableXml(DomainObj dom, MigrationOptions options) {
        DomainDef current = dom.def();
        if (options.destinationXml() == null) {
            return DomainXml.format(ImplicitUsb.explicit(current), EnumSet.of(FormatFlag.MIGRATABLE));
        }
        DomainDef replacement = DomainXml.parse(options.destinationXml());
        if (!replacement.uuid().equals(current.uuid())) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "target domain uuid " + replacement.uuid() + " does not match source " + current.uuid());
        }
        return DomainXml.format(ImplicitUsb.explicit(replacement), EnumSet.of(FormatFlag.MIGRATABLE));
    }

    private String persistentXml(DomainObj dom, MigrationOptions options) {
        DomainDef def = options.persistentXml() != null
                ? DomainXml.parse(options.persistentXml())
                : dom.persistentDef() != null ? dom.persistentDef() : dom.def();
        return DomainXml.format(ImplicitUsb.explicit(def), EnumSet.of(FormatFlag.INACTIVE, FormatFlag.MIGRATABLE));
    }

    private MigrationJob startJob(DomainObj dom, long flags) {
        dom.requireRun();
        MigrationJob job =
                new MigrationJob(AsyncJobKind.MIGRATION_OUT, flags, dom.status().state() == DomainState.RUNNING);
        dom.startAsyncJob(job, "migration out", DomainLifecycle.JOB_WAIT_MILLIS);
        QemuRun run = dom.run();
        if (run != null) {
            job.attach(run.monitor());
        }
        return job;
    }

    private static MigrationJob parkedJob(DomainObj dom) {
        if (dom.asyncJob() instanceof MigrationJob job && job.kind() == AsyncJobKind.MIGRATION_OUT) {
            return job;
        }
        throw VirtException.of(
                ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '" + dom.name() + "' is not being migrated");
    }

    /** The transfer itself: display relocation, QEMU's settings, then {@code migrate} and the wait for its end. */
    private void transfer(
            DomainObj dom,
            QemuRun run,
            MigrationJob job,
            MigrationOptions options,
            MigrationCookie destination,
            OutgoingTransport transport) {
        String name = dom.name();
        Monitor monitor = run.monitor();
        String uri = transport.uri() != null ? transport.uri() : options.uri();
        if (uri == null) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "migration URI is not set");
        }
        if (destination != null || options.graphicsUri() != null) {
            GraphicsRelocation.relocate(
                    monitor,
                    name,
                    destination == null ? null : destination.graphics(),
                    options.graphicsUri(),
                    MigrationUris.uriHost(uri));
        }
        long speed = options.bandwidthMiBps() != null ? options.bandwidthMiBps() : dom.migrationMaxSpeed();
        QemuMigrationSetup.Tls tls = null;
        if (options.tls()) {
            MigrationTlsSettings settings = ctx.settings().migration().tls();
            MigrationTls.checkFiles(settings, MigrationOptions.Side.SOURCE);
            tls = new QemuMigrationSetup.Tls(settings, MigrationTls.sourceHostname(options, uri));
        }
        QemuMigrationSetup.configure(
                monitor,
                name,
                job,
                options,
                MigrationOptions.Side.SOURCE,
                speed,
                tls,
                destination == null ? Set.of() : CookieSections.automatic(destination));
        job.setAbortHook(() -> {
            run.wakeWaiters();
            transport.close();
            try {
                monitor.migrateCancel();
            } catch (IOException ignored) {
                // QEMU is gone; the waiting thread sees the run end
            }
        });
        DiskMirrors mirrors = copyStorage(
                dom, run, job, options, destination, transport, uri, speed, tls == null ? null : tls.hostname());
        if (!options.live() && dom.status().state() == DomainState.RUNNING) {
            MonitorCalls.run(name, monitor::stop);
            ctx.updateStatus(dom, run, StateReason.PAUSED_MIGRATION);
        }
        if (job.abortRequested()) {
            throw MigrationWait.aborted("migration out");
        }
        run.resetMigrationStatus();
        transport.attach(name, monitor);
        MonitorCalls.run(name, () -> monitor.migrate(MigrationUris.forQemu(uri)));
        Set<MigrationStatus> stopAt = options.postcopy()
                ? Set.of(MigrationStatus.POSTCOPY_ACTIVE, MigrationStatus.POSTCOPY_PAUSED)
                : Set.of();
        java.util.function.Supplier<VirtException> lost = () -> {
            VirtException gone = transport.lost();
            return gone != null || mirrors == null ? gone : mirrors.failure();
        };
        Set<MigrationStatus> beforeSwitch = new java.util.HashSet<>(stopAt);
        beforeSwitch.add(MigrationStatus.PRE_SWITCHOVER);
        MigrationStatus end = MigrationWait.await(run, job, beforeSwitch, "migration out", true, lost);
        if (end == MigrationStatus.PRE_SWITCHOVER) {
            // QEMU stopped the vCPUs and waits: the disks finish their copy in sync, then memory switches over.
            if (mirrors != null) {
                mirrors.complete();
            }
            MonitorCalls.run(name, () -> monitor.migrateContinue(MigrationStatus.PRE_SWITCHOVER.qmpName()));
            end = MigrationWait.await(run, job, stopAt, "migration out", true, transport::lost);
        }
        // QEMU has stopped the vCPUs for the switch-over; the guest is no longer running here. In post-copy the
        // destination runs it already and pulls the missing pages from here, which libvirt shows as its own reason.
        if (end == MigrationStatus.POSTCOPY_ACTIVE) {
            job.markPostcopyStarted();
            ctx.updateStatus(dom, run, StateReason.PAUSED_POSTCOPY);
        } else {
            transport.drain();
            ctx.updateStatus(dom, run, StateReason.PAUSED_MIGRATION);
        }
        dom.setCompletedJobStats(job.completedStats(JobType.COMPLETED));
    }

    /**
     * Storage migration, before the memory: a mirror per copied disk into the destination's NBD exports, waited for
     * until every one is ready. Null when no storage is copied. The mirrors go into the job at once, so a failure
     * from here on cancels them.
     */
    private static DiskMirrors copyStorage(
            DomainObj dom,
            QemuRun run,
            MigrationJob job,
            MigrationOptions options,
            MigrationCookie destination,
            OutgoingTransport transport,
            String uri,
            long speedMiBps,
            String tlsHostname) {
        if (!options.copiesStorage()) {
            return null;
        }
        List<DiskDef> disks = CopiedDisks.of(dom.def(), options.migrateDisks());
        if (disks.isEmpty()) {
            return null;
        }
        if (destination == null || destination.nbd() == null) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "the destination offered no NBD server for the migration of non-shared storage");
        }
        NbdAddress server =
                transport.nbdServer() != null ? transport.nbdServer() : nbdServer(options, destination.nbd(), uri);
        if (tlsHostname != null && server.isUnix()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "NBD migration with TLS is not supported over UNIX socket");
        }
        DiskMirrors mirrors = new DiskMirrors(run, dom.name());
        if (tlsHostname != null) {
            // Without a tls-hostname QEMU's NBD client checks the certificate against the server's own host.
            mirrors.useTls(MigrationTls.ALIAS, tlsHostname.isEmpty() ? null : tlsHostname);
        }
        job.setMirrors(mirrors);
        long speedBytes = speedMiBps >= QemuMigrationSettings.UNLIMITED_BANDWIDTH_MIBPS || speedMiBps <= 0
                ? 0
                : speedMiBps * 1024 * 1024;
        long t0 = System.nanoTime();
        mirrors.start(disks, server, options.copiesTopOnly(), speedBytes, options.synchronousWrites());
        mirrors.awaitReady(() -> job.abortRequested() || transport.lost() != null);
        if (job.abortRequested()) {
            throw MigrationWait.aborted("migration out");
        }
        VirtException gone = transport.lost();
        if (gone != null) {
            throw gone;
        }
        LOG.log(
                Level.DEBUG,
                "domain {0}: {1} disk mirror(s) ready in {2} ms",
                dom.name(),
                disks.size(),
                (System.nanoTime() - t0) / 1_000_000);
        return mirrors;
    }

    /** Where the destination's NBD server is: {@code disks_uri}, else the migration URI's host and the cookie's port. */
    private static NbdAddress nbdServer(MigrationOptions options, CookieNbd nbd, String uri) {
        String host = MigrationUris.uriHost(uri);
        int port = nbd.port();
        if (options.disksUri() != null) {
            NbdAddress given = NbdUris.parse(options.disksUri());
            if (given.isUnix()) {
                return given;
            }
            host = given.host();
            if (given.port() > 0) {
                port = given.port();
            }
        }
        return NbdAddress.tcp(host, port);
    }

    /** A failed Perform: QEMU's migration cancelled, the guest as it was, the job over. */
    private void fail(DomainObj dom, QemuRun run, MigrationJob job, RuntimeException cause) {
        LOG.log(Level.DEBUG, "migration of {0} failed: {1}", dom.name(), cause.getMessage());
        try {
            dom.setCompletedJobStats(job.completedStats(job.abortRequested() ? JobType.CANCELLED : JobType.FAILED));
            rollBack(dom, run, job);
        } finally {
            PhaseRecorder.end(ctx, dom, job);
        }
    }

    /**
     * Cancels what QEMU still does, resumes a guest that ran before, and puts QEMU's parameters back; after the
     * switch to post-copy none of that: the guest stays paused here (post-copy failed), as libvirt leaves it.
     */
    private void rollBack(DomainObj dom, QemuRun run, MigrationJob job) {
        if (run.ended() || !dom.isCurrent(run)) {
            return;
        }
        if (PostcopyFailure.sourceInPostcopy(dom, run, job)) {
            // The destination may run the guest with newer memory: cancelling or resuming here would fork it.
            PostcopyFailure.source(ctx, dom, run);
            return;
        }
        MigrationWait.cancelAndSettle(run, dom.name());
        DiskMirrors mirrors = job.mirrors();
        if (mirrors != null) {
            mirrors.abort();
        }
        StateReason now = dom.status().reason();
        // A guest QEMU paused for an I/O error, or one whose post-copy failed, must not run again blindly.
        if (job.wasRunning()
                && now.state() == DomainState.PAUSED
                && now != StateReason.PAUSED_IOERROR
                && now != StateReason.PAUSED_POSTCOPY_FAILED) {
            try {
                MonitorCalls.run(dom.name(), run.monitor()::cont);
                ctx.updateStatus(dom, run, StateReason.RUNNING_MIGRATION_CANCELED);
            } catch (VirtException e) {
                LOG.log(
                        Level.WARNING,
                        "domain " + dom.name() + " stays paused after a failed migration: " + e.getMessage());
            }
        } else {
            ctx.saveStatus(dom);
        }
        QemuMigrationSetup.restore(run.monitor(), dom.name(), job);
    }

    /** The guest runs on the destination now: the source's QEMU ends (shut off, migrated). */
    private void stopMigrated(DomainObj dom, QemuRun run, MigrationJob job) {
        if (run != null && dom.isCurrent(run)) {
            run.expectStop(StateReason.SHUTOFF_MIGRATED);
            QemuLauncher.kill(run.pid(), dom.uuid().toString());
            lifecycle.stopped(dom, run, StateReason.SHUTOFF_MIGRATED);
        }
        if ((job.flags() & MigrateFlags.UNDEFINE_SOURCE) != 0) {
            undefineSource(dom);
        }
    }

    /** Removes a migrated-away domain's persistent definition (UNDEFINE_SOURCE). */
    private void undefineSource(DomainObj dom) {
        if (dom.isPersistent()) {
            ctx.forgetDefinition(dom);
        }
    }
}

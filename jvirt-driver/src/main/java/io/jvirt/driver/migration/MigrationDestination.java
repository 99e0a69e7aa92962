package io.jvirt.driver.migration;

import static io.jvirt.api.util.Closeables.closeQuietly;

import io.jvirt.api.DomainEvent;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobOperation;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.config.ImplicitUsb;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.lifecycle.StartOptions;
import io.jvirt.driver.migration.cookie.CookieFeature;
import io.jvirt.driver.migration.cookie.CookieGraphics;
import io.jvirt.driver.migration.cookie.CookieNbd;
import io.jvirt.driver.migration.cookie.GraphicsRelocation;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.driver.migration.tunnel.DestinationStorageTunnel;
import io.jvirt.driver.migration.tunnel.DestinationTunnel;
import io.jvirt.driver.migration.tunnel.DestinationTunnelChannels;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.root.MigrationSettings;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The destination side of a migration: Prepare starts QEMU with {@code -incoming defer}, listening on a free port
 * of the migration range at the configured address, and hands back that address (never a host name that might
 * resolve elsewhere); Finish runs the guest that arrived (running, migrated), or tears it down when the migration
 * was cancelled or the guest cannot run. A guest is never left half-arrived: every failure here ends the
 * destination's QEMU (shut off, failed) and forgets a domain that existed only for the migration; except after the
 * switch to post-copy, when the guest already runs here with the newest memory: then it keeps running (post-copy
 * failed), as libvirt keeps it.
 *
 * <p>Threading: each phase runs on the calling API thread.
 */
public final class MigrationDestination {
    private static final Set<CookieFeature> PREPARE_ACCEPTS = EnumSet.of(
            CookieFeature.LOCKSTATE,
            CookieFeature.MEMORY_HOTPLUG,
            CookieFeature.CPU_HOTPLUG,
            CookieFeature.CPU,
            CookieFeature.CAPABILITIES,
            CookieFeature.NBD);
    private static final Set<CookieFeature> FINISH_ACCEPTS =
            EnumSet.of(CookieFeature.STATISTICS, CookieFeature.PERSISTENT, CookieFeature.NBD);

    private final DriverContext ctx;
    private final DomainLifecycle lifecycle;

    public MigrationDestination(DriverContext ctx, DomainLifecycle lifecycle) {
        this.ctx = ctx;
        this.lifecycle = lifecycle;
    }

    /** Prepare3: starts the receiving QEMU; returns the cookie for Perform and the URI to migrate to. */
    public MigrationPrepared prepare(List<TypedParam> params, String cookieIn, long flags) {
        return prepare(params, cookieIn, flags, null);
    }

    /**
     * PrepareTunnel3: as {@link #prepare} but QEMU reads the incoming stream from a pipe that a pump fills from
     * {@code data}; the pump and {@code data} are closed whatever happens (see {@link DestinationTunnel}).
     */
    public MigrationPrepared prepareTunnel(
            List<TypedParam> params, String cookieIn, long flags, ReadableByteChannel data) {
        return withTunnel(data, tunnel -> prepare(params, cookieIn, flags, tunnel));
    }

    /**
     * jvirt's channel call: channel {@code channel} (1 and up) of the tunnelled migration with several channels
     * coming in as {@code name}; {@code data} is closed if it is refused.
     */
    public void addTunnelChannel(String name, int channel, ReadableByteChannel data) {
        withTunnel(data, tunnel -> {
            DomainObj dom = ctx.registry().lookupByName(name);
            if (!(dom.asyncJob() instanceof MigrationJob job)
                    || job.kind() != AsyncJobKind.MIGRATION_IN
                    || !(job.tunnel() instanceof DestinationTunnelChannels channels)) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID,
                        ErrorDomain.QEMU,
                        "domain '" + name + "' is not receiving a tunnelled migration with several channels");
            }
            channels.add(channel, tunnel);
            return null;
        });
    }

    /**
     * jvirt's NBD call: one NBD connection of the storage copy of the tunnelled migration coming in as
     * {@code name} (see {@link DestinationStorageTunnel}); both channels are closed if it is refused.
     */
    public void addNbdConnection(
            String name, int connection, ReadableByteChannel requests, WritableByteChannel answers) {
        DestinationStorageTunnel tunnel = null;
        try {
            DomainObj dom = ctx.registry().lookupByName(name);
            if (dom.asyncJob() instanceof MigrationJob job
                    && job.kind() == AsyncJobKind.MIGRATION_IN
                    && job.incomingStorage() != null) {
                tunnel = job.incomingStorage().tunnel();
            }
        } catch (RuntimeException e) {
            closeQuietly(requests);
            closeQuietly(answers);
            throw e;
        }
        if (tunnel == null) {
            closeQuietly(requests);
            closeQuietly(answers);
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "domain '" + name + "' is not receiving storage through a tunnelled migration");
        }
        tunnel.add(connection, requests, answers);
    }

    /** Runs {@code prepare} with a tunnel over {@code data}; on failure the tunnel (or {@code data}) is closed. */
    private static <T> T withTunnel(
            ReadableByteChannel data, java.util.function.Function<DestinationTunnel, T> prepare) {
        DestinationTunnel tunnel;
        try {
            tunnel = new DestinationTunnel(data);
        } catch (RuntimeException e) {
            closeQuietly(data);
            throw e;
        }
        try {
            return prepare.apply(tunnel);
        } catch (RuntimeException e) {
            tunnel.close();
            throw e;
        }
    }

    private MigrationPrepared prepare(List<TypedParam> params, String cookieIn, long flags, DestinationTunnel tunnel) {
        MigrationOptions options = MigrationOptions.parse(params, flags, MigrationOptions.Side.DESTINATION);
        MigrationTls.checkAllowed(options, ctx.settings().migration().tls());
        DomainDef def = incomingDefinition(options);
        String remoteName = def.name();
        MigrationCookie incoming =
                MigrationCookieXml.parse(cookieIn, PREPARE_ACCEPTS, remoteName, def.uuid(), ctx.hostUuid());
        if (options.destinationName() != null) {
            def = def.withName(options.destinationName());
        }
        if (PostcopyResumeChecks.asked(flags)) {
            // Never tunnelled: the options refuse post-copy through a tunnel.
            return new PostcopyResumeDestination(ctx).prepare(def, remoteName, options, flags);
        }
        MigrationCookie out = CookieSections.identity(ctx, remoteName, def.uuid());
        if (options.offline()) {
            // Nothing will listen, but a libvirt client driving the migration wants a URI from every native
            // Prepare3, offline too, as libvirt's destination gives one.
            String host = options.listenAddress() != null
                    ? options.listenAddress()
                    : ctx.settings().migration().host();
            return new MigrationPrepared(
                    MigrationCookieXml.format(out), tunnel == null ? "tcp:" + MigrationUris.bracket(host) : null);
        }
        Incoming arrived =
                start(def, remoteName, options, flags, tunnel, incoming.nbd(), CookieSections.listed(incoming));
        DomainDef live = arrived.dom().liveDef();
        MigrationSettings settings = ctx.settings().migration();
        CookieGraphics graphics =
                live == null ? null : GraphicsRelocation.describe(live, settings.spiceX509Dir(), arrived.host());
        if (graphics != null) {
            out = out.withGraphics(graphics);
        }
        out = out.withCapabilities(CookieSections.switchedOn(arrived.run().monitor(), def.name()));
        if (arrived.dom().asyncJob() instanceof MigrationJob job
                && job.incomingStorage() != null
                && job.incomingStorage().answer() != null) {
            out = out.withNbd(job.incomingStorage().answer());
        }
        return new MigrationPrepared(MigrationCookieXml.format(out), arrived.uri());
    }

    /** v2's Prepare: as Prepare3 without cookies; the XML comes as an argument. */
    public String prepareVersion2(String uri, long flags, String dname, long bandwidth, String domainXml) {
        return startVersion2(uri, flags, dname, domainXml, null).uri();
    }

    /**
     * v2's PrepareTunnel: as {@link #prepareVersion2} with QEMU reading the incoming stream from {@code data}, as
     * {@link #prepareTunnel} does; {@code data} is closed whatever happens.
     */
    public void prepareTunnelVersion2(long flags, String dname, String domainXml, ReadableByteChannel data) {
        withTunnel(data, tunnel -> startVersion2(null, flags, dname, domainXml, tunnel));
    }

    private Incoming startVersion2(String uri, long flags, String dname, String domainXml, DestinationTunnel tunnel) {
        List<TypedParam> params = new ArrayList<>();
        params.add(TypedParam.string(MigrateParams.DEST_XML, domainXml));
        if (dname != null) {
            params.add(TypedParam.string(MigrateParams.DEST_NAME, dname));
        }
        if (uri != null) {
            params.add(TypedParam.string(MigrateParams.URI, uri));
        }
        MigrationOptions options = MigrationOptions.parse(params, flags, MigrationOptions.Side.DESTINATION);
        MigrationTls.checkAllowed(options, ctx.settings().migration().tls());
        DomainDef def = incomingDefinition(options);
        String remoteName = def.name();
        if (dname != null) {
            def = def.withName(dname);
        }
        return start(def, remoteName, options, flags, tunnel, null, Set.of());
    }

    /**
     * Finish3 (and v2's Finish2): with {@code cancelled}, or when the guest did not arrive whole, the destination's
     * QEMU ends and the call fails; otherwise the guest runs here (unless PAUSED) and is returned.
     */
    public MigrationFinished finish(List<TypedParam> params, String cookieIn, long flags, boolean cancelled) {
        MigrationOptions options = MigrationOptions.parse(params, flags, MigrationOptions.Side.DESTINATION);
        if (options.destinationName() == null) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "missing destination name");
        }
        if (options.offline()) {
            return finishOffline(options, cancelled);
        }
        return finish(options.destinationName(), cookieIn, flags, cancelled, false);
    }

    /** v2's Finish2: as Finish3 without cookies. */
    public MigrationFinished finishVersion2(String name, long flags, boolean cancelled) {
        return finish(name, null, flags, cancelled, true);
    }

    private MigrationFinished finish(String name, String cookieIn, long flags, boolean cancelled, boolean v2) {
        DomainObj dom = ctx.registry().lookupByName(name);
        if (!(dom.asyncJob() instanceof MigrationJob job) || job.kind() != AsyncJobKind.MIGRATION_IN) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "domain '" + name + "' is not processing incoming migration");
        }
        QemuRun run = dom.run();
        try {
            PhaseRecorder.enter(
                    ctx,
                    dom,
                    job,
                    v2
                            ? MigrationPhase.FINISH2
                            : PostcopyResumeChecks.asked(flags)
                                    ? MigrationPhase.FINISH_RESUME
                                    : MigrationPhase.FINISH3);
            if (cancelled || run == null) {
                throw VirtException.of(
                        ErrorCode.MIGRATE_FINISH_OK,
                        ErrorDomain.QEMU,
                        "incoming migration of domain '" + name + "' was cancelled");
            }
            MigrationCookie cookie = v2 || cookieIn == null
                    ? null
                    : MigrationCookieXml.parse(cookieIn, FINISH_ACCEPTS, job.remoteName(), dom.uuid(), ctx.hostUuid());
            if (job.incomingStorage() != null) {
                job.incomingStorage().stopServer(dom, run);
            }
            MigrationStatus end =
                    MigrationWait.await(run, job, Set.of(MigrationStatus.POSTCOPY_ACTIVE), "migration in", false);
            boolean paused = (flags & MigrateFlags.PAUSED) != 0;
            if (end == MigrationStatus.POSTCOPY_ACTIVE) {
                // Post-copy: the guest must run here before its memory has all arrived; wait for the rest after.
                // From here on the source cannot take the guest back, so a failure must not end this QEMU (a cont
                // that hangs because the post-copy broke meanwhile included).
                job.markPostcopyStarted();
                MonitorCalls.run(name, run.monitor()::cont);
                ctx.updateStatus(dom, run, StateReason.RUNNING_POSTCOPY);
                MigrationWait.await(run, job, Set.of(MigrationStatus.POSTCOPY_PAUSED), "migration in", false);
                paused = false;
            }
            if ((flags & MigrateFlags.PERSIST_DEST) != 0) {
                persist(dom, cookie);
            }
            if (!paused) {
                MonitorCalls.run(name, run.monitor()::cont);
            }
            ctx.updateStatus(dom, run, paused ? StateReason.PAUSED_USER : StateReason.RUNNING_MIGRATED);
            QemuMigrationSetup.restore(run.monitor(), name, job);
            dom.setCompletedJobStats(incomingStats(cookie, job));
            release(dom, job);
            ctx.events().emit(new DomainEvent.JobCompleted(dom.ref(), dom.completedJobStats()));
            MigrationCookie out = CookieSections.identity(ctx, job.remoteName(), dom.uuid())
                    .withStatistics(CookieSections.statistics(job, dom.completedJobStats()));
            return new MigrationFinished(dom.ref(), MigrationCookieXml.format(out));
        } catch (RuntimeException e) {
            if (job.postcopyStarted() && run != null && !run.ended() && dom.isCurrent(run)) {
                // The guest runs here with memory newer than the source's: killing it would lose it.
                PostcopyFailure.destination(ctx, dom, run);
                release(dom, job);
            } else {
                tearDown(dom, run, job);
            }
            throw e;
        }
    }

    private static DomainDef incomingDefinition(MigrationOptions options) {
        if (options.destinationXml() == null) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "no domain XML passed");
        }
        return ImplicitUsb.withLibvirtDefault(DomainXml.parse(options.destinationXml()))
                .withId(-1);
    }

    private record Incoming(DomainObj dom, QemuRun run, String host, String uri) {}

    /** Starts QEMU waiting for the incoming migration, as the domain's new MIGRATION_IN job. */
    private Incoming start(
            DomainDef def,
            String remoteName,
            MigrationOptions options,
            long flags,
            DestinationTunnel tunnel,
            CookieNbd storageOffered,
            Set<String> sourceCapabilities) {
        if (options.tls()) {
            // Before the domain or its QEMU exist: a missing certificate leaves nothing to undo.
            MigrationTls.checkFiles(ctx.settings().migration().tls(), MigrationOptions.Side.DESTINATION);
        }
        DomainObj dom = ctx.registry().findOrAdd(def);
        if (dom.isActive()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '" + def.name() + "' is already active");
        }
        MigrationJob job = new MigrationJob(AsyncJobKind.MIGRATION_IN, flags, false);
        job.setRemoteName(remoteName);
        try {
            dom.startAsyncJob(job, "migration in", DomainLifecycle.JOB_WAIT_MILLIS);
        } catch (RuntimeException e) {
            forgetIfUnused(dom);
            throw e;
        }
        MigrationSettings settings = ctx.settings().migration();
        String listen = options.listenAddress() != null ? options.listenAddress() : settings.address();
        String host = options.listenAddress() != null ? options.listenAddress() : settings.host();
        int fixedPort = 0;
        if (options.uri() != null) {
            // The caller's URI names the host sources reach us on, and possibly the port (0: pick one).
            host = MigrationUris.uriHost(options.uri());
            fixedPort = MigrationUris.uriPort(options.uri());
        }
        int port = fixedPort;
        String reachAt = host;
        String[] uri = new String[1];
        try {
            job.enter(MigrationPhase.PREPARE);
            // Before QEMU starts, since it opens the images: the missing ones are made now.
            job.setIncomingStorage(IncomingStorage.prepare(def, options, storageOffered));
            StartOptions start = new StartOptions(
                    true,
                    (d, r) -> uri[0] = tunnel != null
                            ? listenTunnel(d, r, job, options, tunnel)
                            : listen(d, r, job, options, listen, reachAt, port, sourceCapabilities),
                    StateReason.RUNNING_MIGRATED,
                    job);
            lifecycle.start(dom, def, start);
            ctx.saveStatus(dom);
        } catch (RuntimeException e) {
            MigrationPorts.release(job.port());
            job.closeTunnel();
            if (job.incomingStorage() != null) {
                job.incomingStorage().failed();
            }
            dom.endAsyncJob(job);
            forgetIfUnused(dom);
            throw e;
        }
        if (tunnel != null) {
            return new Incoming(dom, dom.requireRun(), host, null);
        }
        // A port the caller chose is its URI already; only a port we picked must be told.
        return new Incoming(dom, dom.requireRun(), host, fixedPort > 0 ? null : uri[0]);
    }

    /** Sets QEMU up for the incoming stream and makes it listen on the first free port of the range. */
    private String listen(
            DomainObj dom,
            QemuRun run,
            MigrationJob job,
            MigrationOptions options,
            String listen,
            String host,
            int fixedPort,
            Set<String> sourceCapabilities) {
        String name = dom.name();
        Monitor monitor = run.monitor();
        QemuMigrationSetup.configure(
                monitor,
                name,
                job,
                options,
                MigrationOptions.Side.DESTINATION,
                DomainObj.UNLIMITED_MIGRATION_SPEED,
                new QemuMigrationSetup.Tls(ctx.settings().migration().tls(), ""),
                sourceCapabilities);
        if (job.incomingStorage() != null) {
            job.incomingStorage().startServer(dom, run, ctx.settings().migration(), listen);
        }
        run.resetMigrationStatus();
        if (fixedPort > 0) {
            MonitorCalls.run(
                    name, () -> monitor.migrateIncoming("tcp:" + MigrationUris.bracket(listen) + ":" + fixedPort));
            return "tcp:" + MigrationUris.bracket(host) + ":" + fixedPort;
        }
        int port = MigrationPorts.listenOnFree(
                ctx.settings().migration(),
                listen,
                p -> MonitorCalls.run(
                        name, () -> monitor.migrateIncoming("tcp:" + MigrationUris.bracket(listen) + ":" + p)));
        job.setPort(port);
        return "tcp:" + MigrationUris.bracket(host) + ":" + port;
    }

    /** Sets QEMU up to read the incoming stream from the tunnel's pipe, and starts the tunnel's pump. */
    private String listenTunnel(
            DomainObj dom, QemuRun run, MigrationJob job, MigrationOptions options, DestinationTunnel tunnel) {
        String name = dom.name();
        Monitor monitor = run.monitor();
        if (job.incomingStorage() != null) {
            // Only a jvirt source sends storage with the tunnel: its NBD connections come as streams too.
            job.incomingStorage()
                    .throughTunnel(new DestinationStorageTunnel(name, ctx.root().nbdSocket(name, false)));
            job.incomingStorage().startServer(dom, run, ctx.settings().migration(), null);
        }
        if (options.parallel()) {
            return listenTunnelChannels(dom, run, job, options, tunnel);
        }
        job.setTunnel(tunnel);
        QemuMigrationSetup.configure(
                monitor, name, job, options, MigrationOptions.Side.DESTINATION, DomainObj.UNLIMITED_MIGRATION_SPEED);
        run.resetMigrationStatus();
        MonitorCalls.run(name, () -> monitor.getfd(DestinationTunnel.FD_NAME, tunnel.qemuFd()));
        tunnel.closeQemuEnd();
        MonitorCalls.run(name, () -> monitor.migrateIncoming("fd:" + DestinationTunnel.FD_NAME));
        tunnel.start(name);
        return null;
    }

    /**
     * jvirt's tunnel with several channels (the source sent PARALLEL with the tunnel, which only a jvirt source
     * does): QEMU listens on a unix socket of its own with multifd on; the PrepareTunnel3 stream is channel 0 and
     * jvirt's channel calls bring the others (see {@link DestinationTunnelChannels}).
     */
    private String listenTunnelChannels(
            DomainObj dom, QemuRun run, MigrationJob job, MigrationOptions options, DestinationTunnel tunnel) {
        String name = dom.name();
        Monitor monitor = run.monitor();
        int multifd = options.parallelConnections() != null
                ? options.parallelConnections()
                : QemuMigrationSettings.DEFAULT_MULTIFD_CHANNELS;
        DestinationTunnelChannels channels =
                new DestinationTunnelChannels(name, ctx.root().tunnelSocket(name, false), multifd + 1);
        job.setTunnel(channels);
        QemuMigrationSetup.configure(
                monitor, name, job, options, MigrationOptions.Side.DESTINATION, DomainObj.UNLIMITED_MIGRATION_SPEED);
        run.resetMigrationStatus();
        MonitorCalls.run(name, () -> monitor.migrateIncoming(channels.qemuUri()));
        channels.add(0, tunnel);
        return null;
    }

    /** The definition the source sent made persistent here, under this host's name for the domain. */
    private void persist(DomainObj dom, MigrationCookie cookie) {
        DomainDef def = cookie != null && cookie.persistentXml() != null
                ? ImplicitUsb.withLibvirtDefault(DomainXml.parse(cookie.persistentXml()))
                : dom.liveDef();
        def = def.withName(dom.name()).withId(-1);
        try {
            ctx.store().saveConfig(def);
        } catch (RuntimeException e) {
            throw VirtException.of(ErrorCode.MIGRATE_PERSIST_FAILED, ErrorDomain.QEMU, e.getMessage(), e);
        }
        dom.setPersistentDef(def);
    }

    /** OFFLINE: only the definition moves; it becomes this host's persistent domain, shut off. */
    private MigrationFinished finishOffline(MigrationOptions options, boolean cancelled) {
        if (cancelled) {
            throw VirtException.of(
                    ErrorCode.MIGRATE_FINISH_OK,
                    ErrorDomain.QEMU,
                    "offline migration of domain '" + options.destinationName() + "' was cancelled");
        }
        DomainDef def = incomingDefinition(options).withName(options.destinationName());
        DomainObj dom = ctx.registry().findOrAdd(def);
        dom.withLock(() -> {
            if (dom.isActive()) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '" + def.name() + "' is already active");
            }
            try {
                ctx.store().saveConfig(def);
            } catch (RuntimeException e) {
                forgetIfUnused(dom);
                throw VirtException.of(ErrorCode.MIGRATE_PERSIST_FAILED, ErrorDomain.QEMU, e.getMessage(), e);
            }
            dom.setPersistentDef(def);
        });
        return new MigrationFinished(dom.ref(), null);
    }

    private static java.util.List<TypedParam> incomingStats(MigrationCookie cookie, MigrationJob job) {
        List<TypedParam> stats = new ArrayList<>();
        stats.add(TypedParam.integer("type", JobType.COMPLETED.wire()));
        stats.add(TypedParam.integer("operation", JobOperation.MIGRATION_IN.wire()));
        stats.add(TypedParam.ullong("time_elapsed", job.elapsedMillis()));
        if (cookie != null && cookie.statistics() != null) {
            cookie.statistics().values().forEach((k, v) -> {
                if (!"time_elapsed".equals(k)) {
                    stats.add(TypedParam.ullong(k, v));
                }
            });
        }
        return List.copyOf(stats);
    }

    private void release(DomainObj dom, MigrationJob job) {
        if (job.incomingStorage() != null) {
            job.incomingStorage().succeeded();
        }
        MigrationPorts.release(job.port());
        job.closeTunnel();
        dom.endAsyncJob(job);
        ctx.saveStatus(dom);
    }

    /** Ends the destination's QEMU (shut off, failed) and the job; a domain known only for this migration goes. */
    private void tearDown(DomainObj dom, QemuRun run, MigrationJob job) {
        try {
            if (run != null && dom.isCurrent(run)) {
                run.expectStop(StateReason.SHUTOFF_FAILED);
                QemuLauncher.kill(run.pid(), dom.uuid().toString());
                lifecycle.stopped(dom, run, StateReason.SHUTOFF_FAILED);
            }
        } finally {
            // After QEMU is gone: a pump blocked on a pipe nobody reads any more is released by that, and the
            // images it had open can go.
            job.closeTunnel();
            if (job.incomingStorage() != null) {
                job.incomingStorage().failed();
            }
            MigrationPorts.release(job.port());
            dom.endAsyncJob(job);
        }
    }

    private void forgetIfUnused(DomainObj dom) {
        if (!dom.isPersistent() && !dom.isActive()) {
            ctx.registry().remove(dom);
        }
    }
}

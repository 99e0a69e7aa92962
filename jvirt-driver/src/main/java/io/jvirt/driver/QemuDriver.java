package io.jvirt.driver;

import io.jvirt.api.BlockInfo;
import io.jvirt.api.Connection;
import io.jvirt.api.ConnectionDriver;
import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ControlInfo;
import io.jvirt.api.CreateFlags;
import io.jvirt.api.DailyFlags;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.DomainEventType;
import io.jvirt.api.DomainInfo;
import io.jvirt.api.DomainInterface;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainStatsRecord;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.InterfaceStats;
import io.jvirt.api.JobInfo;
import io.jvirt.api.MemoryStat;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.NodeCpuMap;
import io.jvirt.api.SaveFlags;
import io.jvirt.api.StatsTypes;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VcpuInfo;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.console.DomainConsoles;
import io.jvirt.driver.device.BlockQueries;
import io.jvirt.driver.device.DeviceAttach;
import io.jvirt.driver.device.DeviceDetach;
import io.jvirt.driver.device.InterfaceQueries;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.DomainRegistry;
import io.jvirt.driver.domain.DomainStore;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.host.CpuModels;
import io.jvirt.driver.host.NodeStats;
import io.jvirt.driver.host.Sysinfo;
import io.jvirt.driver.job.SyncJobKind;
import io.jvirt.driver.lifecycle.DomainEventHub;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.migration.MigrationControl;
import io.jvirt.driver.migration.MigrationDestination;
import io.jvirt.driver.migration.MigrationSource;
import io.jvirt.driver.migration.peer.PeerMigration;
import io.jvirt.driver.process.DisplayPorts;
import io.jvirt.driver.process.ProcessInspector;
import io.jvirt.driver.root.DriverSettings;
import io.jvirt.driver.root.HostFacts;
import io.jvirt.driver.root.HostIdentity;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.driver.root.RootLock;
import io.jvirt.driver.save.SaveFormat;
import io.jvirt.driver.save.SaveImage;
import io.jvirt.driver.stats.DomainStatsQueries;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The QEMU driver: jvirt's {@link Connection} implemented in-process over one {@link HostRoot}. Opening it takes
 * the root's lock, loads the definitions and reconnects to every QEMU still running; closing it lets go of the
 * monitors and the lock while the guests keep running. The daemon serves the same driver over the wire.
 *
 * <p>Threading: safe for concurrent callers; state changes of one domain are serialised by its job.
 */
public final class QemuDriver implements Connection, MigrationPhases {
    static final long LIB_VERSION = 1_000; // jvirt 0.1.0
    /**
     * What {@link #supportsFeature} answers yes to: migration v2 and v3 with params, change protection, offline,
     * jvirt's tunnel with several channels and its storage through the tunnel;
     * peer-to-peer too when the remote client is on the class path (see {@link RemoteClient}).
     */
    private static final Set<Integer> FEATURES = Set.of(
            DriverFeature.MIGRATION_V2,
            DriverFeature.MIGRATION_V3,
            DriverFeature.MIGRATE_CHANGE_PROTECTION,
            DriverFeature.TYPED_PARAM_STRING,
            DriverFeature.XML_MIGRATABLE,
            DriverFeature.MIGRATION_OFFLINE,
            DriverFeature.MIGRATION_PARAMS,
            DriverFeature.JVIRT_TUNNEL_CHANNELS,
            DriverFeature.JVIRT_TUNNEL_STORAGE);

    private final String uri;
    private final RootLock lock;
    private final DriverContext ctx;
    private final DomainLifecycle lifecycle;
    private final DomainSaver saver;
    private final DomainRestorer restorer;
    private final DomainDumper dumper;
    private final MigrationSource migrationSource;
    private final MigrationDestination migrationDestination;
    private final PeerMigration peerMigration;
    private final DeviceAttach deviceAttach;
    private final DeviceDetach deviceDetach;
    private final DomainConsoles consoles = new DomainConsoles();
    private volatile long hypervisorVersion = -1;

    private QemuDriver(String uri, RootLock lock, DriverContext ctx) {
        this.uri = uri;
        this.lock = lock;
        this.ctx = ctx;
        this.lifecycle = new DomainLifecycle(ctx);
        this.saver = new DomainSaver(ctx, lifecycle);
        this.restorer = new DomainRestorer(ctx, lifecycle);
        this.dumper = new DomainDumper(ctx, lifecycle);
        this.migrationSource = new MigrationSource(ctx, lifecycle);
        this.migrationDestination = new MigrationDestination(ctx, lifecycle);
        this.peerMigration = new PeerMigration(migrationSource, ctx.settings().migration(), ctx.root(), ctx.hostUuid());
        this.deviceAttach = new DeviceAttach(ctx);
        this.deviceDetach = new DeviceDetach(ctx);
    }

    /** Opens the driver on {@code root}: locks it, recovers its domains, and autostarts once per host boot. */
    public static QemuDriver open(String uri, HostRoot root) {
        try {
            root.create();
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.QEMU,
                    "cannot create root " + root.dir() + ": " + e.getMessage(),
                    e);
        }
        RootLock lock = RootLock.acquire(root);
        try {
            DriverSettings settings = DriverSettings.load(root);
            UUID hostUuid = HostIdentity.resolve(root, settings);
            DriverContext ctx = new DriverContext(
                    root,
                    settings,
                    hostUuid,
                    new DomainRegistry(),
                    new DomainStore(root),
                    new DisplayPorts(),
                    new AtomicBoolean(),
                    new DomainEventHub());
            QemuDriver driver = new QemuDriver(uri, lock, ctx);
            new DriverRecovery(ctx, driver.lifecycle).recover();
            new Autostart(ctx, driver.lifecycle).runOncePerBoot();
            return driver;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    DomainObj resolve(DomainRef ref) {
        DomainObj dom = ctx.registry().findByUuid(ref.uuid());
        if (dom == null) {
            throw VirtException.of(
                    ErrorCode.NO_DOMAIN,
                    ErrorDomain.QEMU,
                    "no domain with matching uuid '" + ref.uuid() + "' (" + ref.name() + ")");
        }
        return dom;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String hostname() {
        return HostFacts.hostname();
    }

    @Override
    public UUID hostUuid() {
        return ctx.hostUuid();
    }

    @Override
    public String hypervisorType() {
        return "QEMU";
    }

    @Override
    public long hypervisorVersion() {
        if (hypervisorVersion < 0) {
            hypervisorVersion = HostFacts.qemuVersion(ctx.settings().qemuBinary());
        }
        return hypervisorVersion;
    }

    @Override
    public long libVersion() {
        return LIB_VERSION;
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        return ctx.registry().all().stream()
                .filter(d -> DomainListFilter.matches(d, flags))
                .map(DomainObj::ref)
                .toList();
    }

    @Override
    public DomainRef lookupByName(String name) {
        return ctx.registry().lookupByName(name).ref();
    }

    @Override
    public DomainRef lookupByUuid(UUID uuid) {
        return ctx.registry().lookupByUuid(uuid).ref();
    }

    @Override
    public DomainRef lookupById(int id) {
        return ctx.registry().lookupById(id).ref();
    }

    @Override
    public DomainRef defineXml(String xml) {
        DomainDef def = DomainXml.parse(xml).withId(-1);
        DomainObj dom = ctx.registry().findOrAdd(def);
        dom.withLock(() -> {
            boolean known = dom.isPersistent() || dom.isActive();
            try {
                ctx.store().saveConfig(def);
            } catch (RuntimeException e) {
                if (!known) {
                    ctx.registry().remove(dom);
                }
                throw e;
            }
            dom.setPersistentDef(def);
            ctx.events()
                    .emit(new DomainEvent.Lifecycle(
                            dom.ref(),
                            DomainEventType.DEFINED,
                            known ? DomainEventDetail.DEFINED_UPDATED : DomainEventDetail.DEFINED_ADDED));
        });
        return dom.ref();
    }

    @Override
    public void undefine(DomainRef domain, int flags) {
        DomainObj dom = resolve(domain);
        try (DomainObj.Job _ = dom.beginJob("undefine", DomainLifecycle.JOB_WAIT_MILLIS)) {
            dom.withLock(() -> {
                if (!dom.isPersistent()) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot undefine transient domain");
                }
                ctx.forgetDefinition(dom);
            });
        }
    }

    @Override
    public DomainRef createXml(String xml, int flags) {
        DomainDef def = DomainXml.parse(xml).withId(-1);
        return startFromXml(def, dom -> lifecycle.start(dom, def, flags));
    }

    /**
     * Starts the domain {@code def} describes (a new transient one if it is unknown) with {@code starter}; a domain
     * that exists only for this start is forgotten again when the start fails.
     */
    private DomainRef startFromXml(DomainDef def, Consumer<DomainObj> starter) {
        DomainObj dom = ctx.registry().findOrAdd(def);
        if (dom.isActive()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain '" + def.name() + "' is already active");
        }
        try {
            starter.accept(dom);
        } catch (RuntimeException e) {
            if (!dom.isPersistent() && !dom.isActive()) {
                ctx.registry().remove(dom);
            }
            throw e;
        }
        return dom.ref();
    }

    @Override
    public void create(DomainRef domain, int flags) {
        DomainObj dom = resolve(domain);
        DomainDef def = dom.persistentDef();
        if (dom.isActive() || def == null) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is already running");
        }
        Path managed = ctx.root().managedSaveFile(dom.name());
        if (Files.exists(managed)) {
            // As libvirt: a start resumes the managed save image, which is used up once the guest runs from it.
            SaveImage image = SaveImage.open(managed);
            // The image's own definition: QEMU must be started exactly as the one that wrote the stream.
            restorer.restore(
                    dom,
                    DomainRestorer.definition(image, null),
                    image,
                    managed,
                    (flags & CreateFlags.START_PAUSED) != 0 ? SaveFlags.PAUSED : 0);
            deleteQuietly(managed);
            return;
        }
        lifecycle.start(dom, def, flags);
    }

    @Override
    public void destroy(DomainRef domain, int flags) {
        lifecycle.destroy(resolve(domain));
    }

    @Override
    public void shutdown(DomainRef domain, int flags) {
        lifecycle.shutdown(resolve(domain));
    }

    @Override
    public DomainStatus awaitShutoff(DomainRef domain, long timeoutMillis) {
        DomainObj dom = resolve(domain);
        try {
            if (!dom.awaitInactive(timeoutMillis)) {
                throw VirtException.of(
                        ErrorCode.OPERATION_TIMEOUT,
                        ErrorDomain.QEMU,
                        "domain '" + dom.name() + "' is still " + dom.status() + " after " + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for shutdown");
        }
        return dom.status();
    }

    @Override
    public void reboot(DomainRef domain, int flags) {
        lifecycle.reboot(resolve(domain));
    }

    @Override
    public void reset(DomainRef domain, int flags) {
        lifecycle.reset(resolve(domain));
    }

    @Override
    public void suspend(DomainRef domain) {
        lifecycle.suspend(resolve(domain));
    }

    @Override
    public void resume(DomainRef domain) {
        lifecycle.resume(resolve(domain));
    }

    @Override
    public DomainInfo info(DomainRef domain) {
        DomainObj dom = resolve(domain);
        return dom.withLock(() -> {
            DomainDef def = dom.def();
            long cpu =
                    dom.run() != null ? ProcessInspector.cpuTimeNanos(dom.run().pid()) : 0;
            return new DomainInfo(dom.status().state(), def.memoryKiB(), def.currentMemoryKiB(), def.vcpus(), cpu);
        });
    }

    @Override
    public DomainStatus state(DomainRef domain) {
        return resolve(domain).status();
    }

    @Override
    public String xmlDesc(DomainRef domain, int flags) {
        return XmlDescriptions.describe(resolve(domain), flags);
    }

    @Override
    public boolean isActive(DomainRef domain) {
        return resolve(domain).isActive();
    }

    @Override
    public boolean isPersistent(DomainRef domain) {
        return resolve(domain).isPersistent();
    }

    @Override
    public boolean autostart(DomainRef domain) {
        return resolve(domain).autostart();
    }

    @Override
    public void setAutostart(DomainRef domain, boolean autostart) {
        DomainObj dom = resolve(domain);
        dom.withLock(() -> {
            if (!dom.isPersistent()) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot set autostart for transient domain");
            }
            ctx.store().setAutostart(dom.name(), autostart);
            dom.setAutostart(autostart);
        });
    }

    @Override
    public JobInfo jobInfo(DomainRef domain) {
        return DomainJobQueries.info(resolve(domain));
    }

    @Override
    public List<TypedParam> jobStats(DomainRef domain, int flags) {
        return DomainJobQueries.stats(resolve(domain), flags);
    }

    @Override
    public void abortJob(DomainRef domain, int flags) {
        DomainJobQueries.abort(resolve(domain), flags);
    }

    @Override
    public AutoCloseable addDomainEventListener(DomainEventListener listener) {
        return ctx.events().add(listener);
    }

    @Override
    public boolean supportsFeature(int feature) {
        if (feature == DriverFeature.MIGRATION_P2P) {
            return RemoteClient.PRESENT;
        }
        return FEATURES.contains(feature);
    }

    /** Whether a driver for daemon URIs (the remote client) is on the class path, which peer-to-peer needs. */
    private static final class RemoteClient {
        static final boolean PRESENT = detect();

        private static boolean detect() {
            ConnectionUri probe = ConnectionUri.parse("qemu+unix:///system");
            for (ConnectionDriver d : ServiceLoader.load(ConnectionDriver.class)) {
                if (d.accepts(probe)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public String qemuMonitorCommand(DomainRef domain, String command, int flags) {
        return MonitorPassthrough.run(resolve(domain), command, flags);
    }

    @Override
    public void openConsole(
            DomainRef domain, String device, ReadableByteChannel fromClient, WritableByteChannel toClient, int flags) {
        DomainObj dom = resolve(domain);
        dom.requireRun();
        consoles.open(dom.liveDef(), device, fromClient, toClient, flags);
    }

    @Override
    public void sendKey(DomainRef domain, int codeset, int holdMillis, List<Integer> keycodes, int flags) {
        KeySender.send(resolve(domain), codeset, holdMillis, keycodes, flags);
    }

    @Override
    public void setMemory(DomainRef domain, long kib, int flags) {
        MemoryChange.set(ctx, resolve(domain), kib, flags);
    }

    @Override
    public void setVcpus(DomainRef domain, int count, int flags) {
        VcpuChange.set(ctx, resolve(domain), count, flags);
    }

    @Override
    public int vcpus(DomainRef domain, int flags) {
        return VcpuChange.get(resolve(domain), flags);
    }

    @Override
    public String screenshot(DomainRef domain, int screen, WritableByteChannel image, int flags) {
        return Screenshots.take(ctx, resolve(domain), screen, image, flags);
    }

    @Override
    public void rename(DomainRef domain, String newName, int flags) {
        DomainRenamer.rename(ctx, resolve(domain), newName, flags);
    }

    @Override
    public void setMetadata(DomainRef domain, int type, String metadata, String key, String uri, int flags) {
        DomainObj dom = resolve(domain);
        if ((flags & ~(DailyFlags.LIVE | DailyFlags.CONFIG)) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainSetMetadata");
        }
        try (DomainObj.Job _ = dom.beginJob("metadata", DomainLifecycle.JOB_WAIT_MILLIS)) {
            DefinitionChange where = DefinitionChange.of(dom, flags);
            DomainMetadata.set(dom.def(), type, metadata, key, uri); // refuses bad input before anything changes
            if (where.live()) {
                DefinitionChange.saveLive(ctx, dom, d -> DomainMetadata.set(d, type, metadata, key, uri));
            }
            if (where.config()) {
                DefinitionChange.saveConfig(ctx, dom, d -> DomainMetadata.set(d, type, metadata, key, uri));
            }
        }
    }

    @Override
    public String metadata(DomainRef domain, int type, String uri, int flags) {
        DomainObj dom = resolve(domain);
        if ((flags & DailyFlags.LIVE) != 0 && (flags & DailyFlags.CONFIG) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        DefinitionChange where = DefinitionChange.of(dom, flags);
        return DomainMetadata.get(where.live() ? dom.liveDef() : dom.persistentDef(), type, uri);
    }

    @Override
    public long[] guestTime(DomainRef domain, int flags) {
        throw GuestAgent.unavailable(resolve(domain));
    }

    @Override
    public void setGuestTime(DomainRef domain, long seconds, int nanos, int flags) {
        throw GuestAgent.unavailable(resolve(domain));
    }

    @Override
    public String guestHostname(DomainRef domain, int flags) {
        throw GuestAgent.unavailable(resolve(domain));
    }

    @Override
    public String qemuAgentCommand(DomainRef domain, String command, int timeoutSeconds, int flags) {
        throw GuestAgent.unavailable(resolve(domain));
    }

    /** jvirt does not yet record the disks QEMU reports I/O errors on (BLOCK_IO_ERROR), so it answers none. */
    @Override
    public java.util.Map<String, Integer> diskErrors(DomainRef domain, int flags) {
        resolve(domain).requireRun();
        return java.util.Map.of();
    }

    @Override
    public MigrationBegin migrateBegin3(DomainRef domain, List<TypedParam> params, long flags) {
        return migrationSource.begin(resolve(domain), params, flags);
    }

    @Override
    public MigrationPrepared migratePrepare3(List<TypedParam> params, String cookie, long flags) {
        if ((flags & MigrateFlags.TUNNELLED) != 0) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "Tunnelled migration requested but invalid RPC method called");
        }
        return migrationDestination.prepare(params, cookie, flags);
    }

    @Override
    public MigrationPrepared migratePrepareTunnel3(
            List<TypedParam> params, String cookie, long flags, ReadableByteChannel data) {
        requireTunnelled(flags, data);
        return migrationDestination.prepareTunnel(params, cookie, flags, data);
    }

    @Override
    public void migrateTunnelChannel(String name, int channel, ReadableByteChannel data) {
        migrationDestination.addTunnelChannel(name, channel, data);
    }

    @Override
    public void migrateTunnelNbd(
            String name, int connection, ReadableByteChannel toDestination, WritableByteChannel toSource) {
        migrationDestination.addNbdConnection(name, connection, toDestination, toSource);
    }

    /** A PrepareTunnel call must carry TUNNELLED; otherwise its stream is refused unread. */
    private static void requireTunnelled(long flags, ReadableByteChannel data) {
        if ((flags & MigrateFlags.TUNNELLED) == 0) {
            try {
                data.close();
            } catch (java.io.IOException ignored) {
                // refused before reading anything
            }
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "PrepareTunnel called but no TUNNELLED flag set");
        }
    }

    @Override
    public String migratePerform3(
            DomainRef domain, String dconnuri, List<TypedParam> params, String cookie, long flags) {
        if ((flags & MigrateFlags.PEER2PEER) != 0) {
            return peerMigration.perform(resolve(domain), dconnuri, params, cookie, flags);
        }
        if (dconnuri != null) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "Unexpected dconnuri parameter with non-peer2peer migration");
        }
        return migrationSource.perform(resolve(domain), params, cookie, flags);
    }

    @Override
    public MigrationFinished migrateFinish3(List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        return migrationDestination.finish(params, cookie, flags, cancelled);
    }

    @Override
    public void migrateConfirm3(
            DomainRef domain, List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        migrationSource.confirm(resolve(domain), cookie, flags, cancelled);
    }

    @Override
    public String migratePrepare2(String uri, long flags, String dname, long bandwidthMiBps, String domainXml) {
        if ((flags & MigrateFlags.TUNNELLED) != 0) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "Tunnelled migration requested but invalid RPC method called");
        }
        return migrationDestination.prepareVersion2(uri, flags, dname, bandwidthMiBps, domainXml);
    }

    @Override
    public void migratePrepareTunnel(
            long flags, String dname, long bandwidthMiBps, String domainXml, ReadableByteChannel data) {
        requireTunnelled(flags, data);
        migrationDestination.prepareTunnelVersion2(flags, dname, domainXml, data);
    }

    /** With {@link MigrateFlags#PEER2PEER}, as libvirt: {@code uri} is the destination's connection URI. */
    @Override
    public void migratePerform2(DomainRef domain, String uri, long flags, String dname, long bandwidthMiBps) {
        if ((flags & MigrateFlags.PEER2PEER) != 0) {
            peerMigration.performVersion2(resolve(domain), uri, flags, dname, bandwidthMiBps);
            return;
        }
        migrationSource.performVersion2(resolve(domain), uri, flags, dname, bandwidthMiBps);
    }

    @Override
    public DomainRef migrateFinish2(String dname, String uri, long flags, boolean cancelled) {
        return migrationDestination.finishVersion2(dname, flags, cancelled).domain();
    }

    @Override
    public void migrateSetMaxSpeed(DomainRef domain, long mibPerSecond, int flags) {
        MigrationControl.setMaxSpeed(resolve(domain), mibPerSecond, flags);
    }

    @Override
    public long migrateGetMaxSpeed(DomainRef domain, int flags) {
        return MigrationControl.maxSpeed(resolve(domain), flags);
    }

    @Override
    public void migrateSetMaxDowntime(DomainRef domain, long millis, int flags) {
        MigrationControl.setMaxDowntime(resolve(domain), millis);
    }

    @Override
    public long migrateGetMaxDowntime(DomainRef domain, int flags) {
        return MigrationControl.maxDowntime(resolve(domain));
    }

    @Override
    public void migrateStartPostCopy(DomainRef domain, int flags) {
        MigrationControl.startPostCopy(resolve(domain));
    }

    /**
     * A path a client names for save, restore, dump or a save image, made absolute as libvirt's API does before its
     * driver sees it (relative to the daemon's working directory); {@code ..} and symlinks are left to the kernel
     * when the file is opened, with the daemon's rights, as libvirt opens them. Read-only clients never get here:
     * every procedure taking a path is refused to them before its arguments are read.
     */
    private static Path clientPath(String file) {
        try {
            return Path.of(file).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "invalid path '" + file + "'", e);
        }
    }

    @Override
    public void save(DomainRef domain, String file, String xml, String imageFormat, int flags) {
        SaveFormat format = SaveFormat.fromName(
                imageFormat != null ? imageFormat : ctx.settings().saveImageFormat());
        saver.save(resolve(domain), clientPath(file), xml, format, flags);
    }

    @Override
    public DomainRef restore(String file, String xml, int flags) {
        Path path = clientPath(file);
        SaveImage image = SaveImage.open(path);
        DomainDef def = DomainRestorer.definition(image, xml);
        return startFromXml(def, dom -> restorer.restore(dom, def, image, path, flags));
    }

    @Override
    public String saveImageXml(String file, int flags) {
        return XmlDescriptions.describeImage(SaveImage.open(clientPath(file)).domainXml(), flags);
    }

    @Override
    public void saveImageDefineXml(String file, String xml, int flags) {
        DomainRestorer.replaceImageXml(clientPath(file), xml, flags);
    }

    @Override
    public String managedSaveXml(DomainRef domain, int flags) {
        return XmlDescriptions.describeImage(
                SaveImage.open(managedSaveImage(domain)).domainXml(), flags);
    }

    @Override
    public void managedSaveDefineXml(DomainRef domain, String xml, int flags) {
        DomainRestorer.replaceImageXml(managedSaveImage(domain), xml, flags);
    }

    /** The domain's managed save image, or libvirt's error when it has none. */
    private Path managedSaveImage(DomainRef domain) {
        Path image = ctx.root().managedSaveFile(resolve(domain).name());
        if (!Files.exists(image)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain does not have managed save image");
        }
        return image;
    }

    @Override
    public void managedSave(DomainRef domain, int flags) {
        saver.managedSave(resolve(domain), flags);
    }

    @Override
    public boolean hasManagedSaveImage(DomainRef domain) {
        return Files.exists(ctx.root().managedSaveFile(resolve(domain).name()));
    }

    @Override
    public void managedSaveRemove(DomainRef domain) {
        DomainObj dom = resolve(domain);
        deleteQuietly(ctx.root().managedSaveFile(dom.name()));
    }

    @Override
    public void coreDump(DomainRef domain, String file, int format, int flags) {
        dumper.dump(
                resolve(domain),
                clientPath(file),
                format,
                flags,
                SaveFormat.fromName(ctx.settings().dumpImageFormat()));
    }

    @Override
    public void attachDevice(DomainRef domain, String xml, int flags) {
        deviceAttach.attach(resolve(domain), xml, flags);
    }

    @Override
    public void detachDevice(DomainRef domain, String xml, int flags) {
        deviceDetach.detach(resolve(domain), xml, flags);
    }

    @Override
    public void detachDeviceAlias(DomainRef domain, String alias, int flags) {
        deviceDetach.detachAlias(resolve(domain), alias, flags);
    }

    @Override
    public void updateDevice(DomainRef domain, String xml, int flags) {
        DeviceDetach.update(resolve(domain), xml, flags);
    }

    @Override
    public List<TypedParam> blockStats(DomainRef domain, String disk, int flags) {
        return BlockQueries.stats(resolve(domain), disk, flags);
    }

    @Override
    public BlockInfo blockInfo(DomainRef domain, String disk, int flags) {
        return BlockQueries.info(resolve(domain), disk, flags);
    }

    @Override
    public InterfaceStats interfaceStats(DomainRef domain, String device) {
        return InterfaceQueries.stats(resolve(domain), device);
    }

    @Override
    public List<DomainInterface> interfaceAddresses(DomainRef domain, int source, int flags) {
        return InterfaceQueries.addresses(resolve(domain), source, flags);
    }

    @Override
    public List<DomainStatsRecord> domainStats(List<DomainRef> domains, int stats, int flags) {
        int groups = DomainStatsQueries.groups(stats, flags);
        List<DomainObj> doms = new ArrayList<>();
        if (domains.isEmpty()) {
            listAllDomains(flags & StatsTypes.DOMAIN_FILTERS).forEach(r -> doms.add(resolve(r)));
        } else {
            domains.forEach(r -> doms.add(resolve(r)));
        }
        List<DomainStatsRecord> out = new ArrayList<>();
        for (DomainObj dom : doms) {
            out.add(DomainStatsQueries.record(dom, groups));
        }
        return out;
    }

    @Override
    public List<MemoryStat> memoryStats(DomainRef domain, int flags) {
        return DomainStatsQueries.memoryStats(resolve(domain), flags);
    }

    @Override
    public void setMemoryStatsPeriod(DomainRef domain, int periodSeconds, int flags) {
        DomainStatsQueries.setMemoryStatsPeriod(resolve(domain), periodSeconds, flags);
    }

    @Override
    public List<VcpuInfo> vcpus(DomainRef domain) {
        return DomainStatsQueries.vcpus(resolve(domain));
    }

    @Override
    public List<List<Integer>> vcpuPinInfo(DomainRef domain, int flags) {
        return DomainStatsQueries.vcpuPinInfo(
                resolve(domain), flags, NodeStats.cpuMap(0).online());
    }

    @Override
    public List<TypedParam> cpuStats(DomainRef domain, int startCpu, int ncpus, int flags) {
        return DomainStatsQueries.cpuStats(resolve(domain), startCpu, ncpus, flags);
    }

    @Override
    public ControlInfo controlInfo(DomainRef domain, int flags) {
        return DomainStatsQueries.controlInfo(resolve(domain), flags);
    }

    /** libvirt's QEMU driver keeps these in the CPU cgroup, and jvirt puts its QEMUs in no cgroup of their own. */
    @Override
    public List<TypedParam> schedulerParameters(DomainRef domain, int flags) {
        resolve(domain);
        throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cgroup CPU controller is not mounted");
    }

    @Override
    public String sysinfo(int flags) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuConnectGetSysinfo");
        }
        return Sysinfo.xml();
    }

    @Override
    public NodeCpuMap cpuMap(int flags) {
        return NodeStats.cpuMap(flags);
    }

    @Override
    public long freeMemory() {
        return NodeStats.freeMemory();
    }

    @Override
    public List<Long> cellsFreeMemory(int startCell, int maxCells) {
        return NodeStats.cellsFree(startCell, maxCells);
    }

    @Override
    public Map<String, Long> nodeMemoryStats(int cell, int flags) {
        return NodeStats.memory(cell, flags);
    }

    @Override
    public Map<String, Long> nodeCpuStats(int cpu, int flags) {
        return NodeStats.cpu(cpu, flags);
    }

    /** libvirt's answer for QEMU (TCG) guests, which it has kept at 16; KVM's limit needs an ioctl jvirt lacks. */
    @Override
    public int maxVcpus(String type) {
        if (type == null || type.equalsIgnoreCase("qemu")) {
            return 16;
        }
        if (type.equalsIgnoreCase("kvm")) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, "KVM's vCPU limit is not known to jvirt");
        }
        throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "unknown type '" + type + "'");
    }

    @Override
    public List<String> cpuModelNames(String arch, int flags) {
        return CpuModels.names(ctx.settings().qemuBinary().toString(), arch, flags);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lets go of the monitors and the root's lock; every QEMU keeps running for the next driver to find. A state
     * change still running is waited for (bounded), so no start is left half-recorded when the lock goes.
     */
    @Override
    public void close() {
        if (!ctx.closing().compareAndSet(false, true)) {
            return;
        }
        List<DomainObj.Job> jobs = new ArrayList<>();
        try {
            for (DomainObj dom : ctx.registry().all()) {
                try {
                    // Waits for a state change in progress, not for a migration parked between its phases,
                    // which lets destroy-class jobs through and survives in the status file.
                    jobs.add(dom.beginJob("close", SyncJobKind.DESTROY, null, DomainLifecycle.JOB_WAIT_MILLIS));
                } catch (VirtException e) {
                    System.getLogger(QemuDriver.class.getName())
                            .log(
                                    System.Logger.Level.WARNING,
                                    "closing while domain " + dom.name() + " is still busy: " + e.getMessage());
                }
                QemuRun run = dom.run();
                if (run != null) {
                    run.closeMonitor();
                }
            }
            lock.close();
            ctx.events().close();
        } finally {
            jobs.forEach(DomainObj.Job::close);
        }
    }
}

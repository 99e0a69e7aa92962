package io.jvirt.remote;

import static io.jvirt.api.util.Closeables.closeQuietly;
import static io.jvirt.rpc.proto.RemoteProcedures.*;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_ATTACH_DEVICE_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_BLOCK_STATS_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DETACH_DEVICE_ALIAS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DETACH_DEVICE_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_BLOCK_INFO;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_INTERFACE_ADDRESSES;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_INTERFACE_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_UPDATE_DEVICE_FLAGS;

import io.jvirt.api.BlockInfo;
import io.jvirt.api.Connection;
import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ControlInfo;
import io.jvirt.api.DomainEventId;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.DomainInfo;
import io.jvirt.api.DomainInterface;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.DomainStatsRecord;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.InterfaceStats;
import io.jvirt.api.JobInfo;
import io.jvirt.api.JobType;
import io.jvirt.api.MemoryStat;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.NodeCpuMap;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VcpuInfo;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.ConnectWire.ListAllDomainsArgs;
import io.jvirt.rpc.proto.ConnectWire.OpenArgs;
import io.jvirt.rpc.proto.DeviceWire;
import io.jvirt.rpc.proto.DomainWire.DomainFlags;
import io.jvirt.rpc.proto.DomainWire.DomainHyperFlags;
import io.jvirt.rpc.proto.DomainWire.DomainInt;
import io.jvirt.rpc.proto.DomainWire.InfoRet;
import io.jvirt.rpc.proto.DomainWire.StateRet;
import io.jvirt.rpc.proto.DomainWire.XmlFlags;
import io.jvirt.rpc.proto.HostWire;
import io.jvirt.rpc.proto.JobWire.JobInfoRet;
import io.jvirt.rpc.proto.JobWire.JobStatsRet;
import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.proto.RemoteTypes;
import io.jvirt.rpc.proto.SaveWire.CoreDumpArgs;
import io.jvirt.rpc.proto.SaveWire.CoreDumpWithFormatArgs;
import io.jvirt.rpc.proto.SaveWire.ImageDefineXmlArgs;
import io.jvirt.rpc.proto.SaveWire.ImageFlagsArgs;
import io.jvirt.rpc.proto.SaveWire.RestoreFlagsArgs;
import io.jvirt.rpc.proto.SaveWire.SaveArgs;
import io.jvirt.rpc.proto.SaveWire.SaveFlagsArgs;
import io.jvirt.rpc.proto.SaveWire.SaveParamsArgs;
import io.jvirt.rpc.proto.StatsWire;
import io.jvirt.rpc.tls.TlsChannel;
import io.jvirt.rpc.tls.TlsContext;
import io.jvirt.rpc.wire.Program;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@link Connection} over libvirt's remote protocol, to a jvirt daemon or a stock libvirtd. Open it with
 * {@link io.jvirt.api.Connections#open} (URIs in {@link RemoteUri}) or {@link #open(String, RemoteOptions)}.
 * Opening runs virsh's sequence: AUTH_LIST (auth none only), SUPPORTS_FEATURE(keepalive), CONNECT_OPEN with the
 * read-only flag if asked, SUPPORTS_FEATURE(event callbacks), then client keepalive if the server has it.
 * Every method is one call (a few are two, see their docs); server errors are thrown as the server sent them.
 * Safe for many threads at once; migration phases here only forward to the server.
 */
public final class RemoteConnection implements Connection, MigrationPhases {
    private static final long SHUTOFF_POLL_MILLIS = 200;
    /** How long the end-of-file error waits for ssh to finish its stderr. */
    private static final long SSH_STDERR_WAIT_MILLIS = 1000;
    /** {@code VIR_TYPED_PARAM_STRING_OKAY}: libvirt's client adds it to typed-parameter queries. */
    private static final int TYPED_PARAM_STRING_OKAY = 1 << 2;
    /** {@code VIR_DOMAIN_MEMORY_STAT_NR} in libvirt 11.3: how many memory stats virsh asks for. */
    private static final int MEMORY_STAT_NR = 13;

    private final String uri;
    private final RpcClient client;
    private final EventDispatcher events;
    private final MigrationCalls migration;
    private final EventCallbacks eventCallbacks;
    private volatile boolean callbackEvents;

    private RemoteConnection(String uri, RpcClient client, EventDispatcher events) {
        this.uri = uri;
        this.client = client;
        this.events = events;
        this.migration = new MigrationCalls(client);
        this.eventCallbacks = new EventCallbacks(client, events);
    }

    /** Opens {@code uri}; settings in its query override {@code defaults}. */
    public static RemoteConnection open(String uri, RemoteOptions defaults) {
        RemoteUri target = RemoteUri.parse(ConnectionUri.parse(uri), defaults);
        // The TLS context first, as libvirt: files that cannot be read fail before a connection is held open.
        TlsContext tls = target.tls().map(TlsContext::create).orElse(null);
        SshTunnel ssh = target.ssh().map(SshTunnel::open).orElse(null);
        SocketChannel channel = ssh != null ? ssh.channel() : connect(target.address());
        RpcClient.Link link = tls == null
                ? RpcClient.Link.of(channel)
                : RpcClient.Link.of(
                        TlsChannel.connect(tls, channel, ((InetSocketAddress) target.address()).getHostString()));
        EventDispatcher events = new EventDispatcher();
        RpcClient client = new RpcClient(
                link, ssh != null ? ssh.toString() : String.valueOf(target.address()), events, target.options());
        client.onDeath(e -> {
            events.shutdown();
            if (ssh != null) {
                ssh.close();
            }
        });
        if (ssh != null) {
            // ssh's last words (a refused key, an unknown host) reach stderr just before it closes our socket.
            client.explainEnd(() -> ssh.stderr(SSH_STDERR_WAIT_MILLIS));
        }
        client.start();
        RemoteConnection c = new RemoteConnection(uri, client, events);
        try {
            c.handshake(target);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return c;
    }

    private static SocketChannel connect(SocketAddress address) {
        try {
            SocketAddress resolved = address instanceof InetSocketAddress inet && inet.isUnresolved()
                    ? new InetSocketAddress(inet.getHostString(), inet.getPort())
                    : address;
            SocketChannel channel = SocketChannel.open(resolved);
            if (resolved instanceof InetSocketAddress) {
                // As libvirt's client: calls and stream packet heads are small writes that must not wait for ACKs.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return channel;
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.RPC,
                    "Failed to connect socket to '" + address + "': " + e.getMessage(),
                    e);
        }
    }

    private void handshake(RemoteUri target) {
        List<Integer> auth;
        try {
            auth = call(AUTH_LIST, null);
        } catch (VirtException e) {
            if (e.code() != ErrorCode.NO_SUPPORT) {
                throw e;
            }
            auth = List.of();
        }
        if (!auth.isEmpty() && auth.getFirst() != 0) {
            throw VirtException.of(
                    ErrorCode.AUTH_FAILED,
                    ErrorDomain.AUTH,
                    "the server wants authentication type " + auth.getFirst() + "; this client speaks only 'none'");
        }
        boolean keepalive = supportsFeature(DriverFeature.PROGRAM_KEEPALIVE);
        call(CONNECT_OPEN, new OpenArgs(target.openName(), target.options().readOnly() ? 1 : 0));
        callbackEvents = supportsFeature(REMOTE_EVENT_CALLBACK);
        if (keepalive) {
            client.startKeepalive(
                    target.options().keepaliveInterval(), target.options().keepaliveCount());
        }
    }

    /** {@code VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK}. */
    static final int REMOTE_EVENT_CALLBACK = 14;

    <A, R> R call(Procedure<A, R> p, A args) {
        return client.call(Program.REMOTE, p.number(), p.args(), args, p.ret());
    }

    /**
     * False once the connection is closed or lost (socket error, end of file, or no answer to keepalive within
     * interval × (count + 1)); pending and later calls then fail with {@link #failure()}'s error.
     */
    @Override
    public boolean isAlive() {
        return client.isAlive();
    }

    /** Why the connection ended, or null while it is alive. */
    public VirtException failure() {
        return client.failure().orElse(null);
    }

    /** Whether CONNECT_OPEN asked for a read-only connection. */
    public boolean isReadOnly() {
        return client.options().readOnly();
    }

    /** The server's name for this connection ({@code CONNECT_GET_URI}, e.g. "qemu:///system"). */
    public String serverUri() {
        return call(CONNECT_GET_URI, null);
    }

    /** The server's capabilities XML ({@code CONNECT_GET_CAPABILITIES}). */
    public String capabilities() {
        return call(CONNECT_GET_CAPABILITIES, null);
    }

    /** Migration v3 tunnelled, destination: Prepare, whose reply opens a stream for QEMU's migration bytes. */
    public TunnelPrepared migratePrepareTunnel3(List<TypedParam> params, String cookie, long flags) {
        return migration.prepareTunnel3(params, cookie, flags);
    }

    /**
     * The {@link MigrationPhases} form of the above, for a peer-to-peer source: after the reply, a platform thread
     * sends {@code data} into the stream until its end, then finishes the stream ({@link TunnelSender}); the
     * channel is closed when that is done, or at once if Prepare fails.
     */
    @Override
    public MigrationPrepared migratePrepareTunnel3(
            List<TypedParam> params, String cookie, long flags, java.nio.channels.ReadableByteChannel data) {
        TunnelPrepared prepared;
        try {
            prepared = migration.prepareTunnel3(params, cookie, flags);
        } catch (RuntimeException e) {
            closeQuietly(data);
            throw e;
        }
        TunnelSender.start(data, prepared.stream());
        return new MigrationPrepared(prepared.cookie(), null);
    }

    /**
     * Migration v2 tunnelled, destination (PREPARE_TUNNEL, 148), for a peer-to-peer source whose destination lacks
     * v3: as {@link #migratePrepareTunnel3(List, String, long, java.nio.channels.ReadableByteChannel)}, without
     * cookies.
     */
    @Override
    public void migratePrepareTunnel(
            long flags,
            String dname,
            long bandwidthMiBps,
            String domainXml,
            java.nio.channels.ReadableByteChannel data) {
        RemoteStream stream;
        try {
            stream = migration.prepareTunnel(flags, dname, bandwidthMiBps, domainXml);
        } catch (RuntimeException e) {
            closeQuietly(data);
            throw e;
        }
        TunnelSender.start(data, stream);
    }

    /** jvirt's extra tunnel channel: as the tunnelled Prepare calls above, the bytes sent after the reply. */
    @Override
    public void migrateTunnelChannel(String name, int channel, java.nio.channels.ReadableByteChannel data) {
        RemoteStream stream;
        try {
            stream = migration.tunnelChannel(name, channel);
        } catch (RuntimeException e) {
            closeQuietly(data);
            throw e;
        }
        TunnelSender.start(data, stream);
    }

    /**
     * jvirt's storage tunnel: one NBD connection in one stream, its requests sent as the tunnel's bytes are, the
     * destination's answers received on the same stream and written into {@code toSource}.
     */
    @Override
    public void migrateTunnelNbd(
            String name, int connection, ReadableByteChannel toDestination, WritableByteChannel toSource) {
        RemoteStream stream;
        try {
            stream = migration.tunnelNbd(name, connection);
        } catch (RuntimeException e) {
            closeQuietly(toDestination);
            closeQuietly(toSource);
            throw e;
        }
        TunnelReceiver.start(stream, toSource);
        TunnelSender.start(toDestination, stream);
    }

    /** The URI this connection was opened with, as given (libvirt's remote driver answers locally too). */
    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String hostname() {
        return call(CONNECT_GET_HOSTNAME, null);
    }

    /** From the server's capabilities ({@code /capabilities/host/uuid}); no procedure returns it alone. */
    @Override
    public UUID hostUuid() {
        return XmlNames.hostUuid(capabilities());
    }

    @Override
    public String hypervisorType() {
        return call(CONNECT_GET_TYPE, null);
    }

    @Override
    public long hypervisorVersion() {
        return call(CONNECT_GET_VERSION, null);
    }

    @Override
    public long libVersion() {
        return call(CONNECT_GET_LIB_VERSION, null);
    }

    @Override
    public boolean supportsFeature(int feature) {
        return call(CONNECT_SUPPORTS_FEATURE, feature) != 0;
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        return call(CONNECT_LIST_ALL_DOMAINS, new ListAllDomainsArgs(1, flags)).domains();
    }

    @Override
    public DomainRef lookupByName(String name) {
        return call(DOMAIN_LOOKUP_BY_NAME, name);
    }

    @Override
    public DomainRef lookupByUuid(UUID uuid) {
        return call(DOMAIN_LOOKUP_BY_UUID, uuid);
    }

    @Override
    public DomainRef lookupById(int id) {
        return call(DOMAIN_LOOKUP_BY_ID, id);
    }

    @Override
    public DomainRef defineXml(String xml) {
        return call(DOMAIN_DEFINE_XML, xml);
    }

    @Override
    public void undefine(DomainRef domain, int flags) {
        call(DOMAIN_UNDEFINE_FLAGS, new DomainFlags(domain, flags));
    }

    @Override
    public DomainRef createXml(String xml, int flags) {
        return call(DOMAIN_CREATE_XML, new XmlFlags(xml, flags));
    }

    @Override
    public void create(DomainRef domain, int flags) {
        call(DOMAIN_CREATE_WITH_FLAGS, new DomainFlags(domain, flags));
    }

    @Override
    public void destroy(DomainRef domain, int flags) {
        if (flags == 0) {
            call(DOMAIN_DESTROY, domain);
        } else {
            call(DOMAIN_DESTROY_FLAGS, new DomainFlags(domain, flags));
        }
    }

    @Override
    public void shutdown(DomainRef domain, int flags) {
        if (flags == 0) {
            call(DOMAIN_SHUTDOWN, domain);
        } else {
            call(DOMAIN_SHUTDOWN_FLAGS, new DomainFlags(domain, flags));
        }
    }

    /** Polls the state every 200 ms until shut off or the deadline; no procedure waits for this. */
    @Override
    public DomainStatus awaitShutoff(DomainRef domain, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            DomainStatus s = state(domain);
            if (s.state() == DomainState.SHUTOFF) {
                return s;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw VirtException.of(
                        ErrorCode.OPERATION_TIMEOUT,
                        ErrorDomain.REMOTE,
                        "domain '" + domain.name() + "' still " + s + " after " + timeoutMillis + " ms");
            }
            try {
                Thread.sleep(Math.min(SHUTOFF_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.REMOTE, "interrupted");
            }
        }
    }

    @Override
    public void reboot(DomainRef domain, int flags) {
        call(DOMAIN_REBOOT, new DomainFlags(domain, flags));
    }

    @Override
    public void reset(DomainRef domain, int flags) {
        call(DOMAIN_RESET, new DomainFlags(domain, flags));
    }

    @Override
    public void suspend(DomainRef domain) {
        call(DOMAIN_SUSPEND, domain);
    }

    @Override
    public void resume(DomainRef domain) {
        call(DOMAIN_RESUME, domain);
    }

    @Override
    public DomainInfo info(DomainRef domain) {
        InfoRet r = call(DOMAIN_GET_INFO, domain);
        return new DomainInfo(
                DomainState.fromWire(r.state()), r.maxMemKiB(), r.memoryKiB(), r.nrVirtCpu(), r.cpuTimeNs());
    }

    @Override
    public DomainStatus state(DomainRef domain) {
        StateRet r = call(DOMAIN_GET_STATE, new DomainFlags(domain, 0));
        return DomainStatus.of(StateReason.of(DomainState.fromWire(r.state()), r.reason()));
    }

    @Override
    public String xmlDesc(DomainRef domain, int flags) {
        return call(DOMAIN_GET_XML_DESC, new DomainFlags(domain, flags));
    }

    @Override
    public boolean isActive(DomainRef domain) {
        return call(DOMAIN_IS_ACTIVE, domain) != 0;
    }

    @Override
    public boolean isPersistent(DomainRef domain) {
        return call(DOMAIN_IS_PERSISTENT, domain) != 0;
    }

    @Override
    public boolean autostart(DomainRef domain) {
        return call(DOMAIN_GET_AUTOSTART, domain) != 0;
    }

    @Override
    public void setAutostart(DomainRef domain, boolean autostart) {
        call(DOMAIN_SET_AUTOSTART, new DomainInt(domain, autostart ? 1 : 0));
    }

    @Override
    public JobInfo jobInfo(DomainRef domain) {
        JobInfoRet r = call(DOMAIN_GET_JOB_INFO, domain);
        return new JobInfo(
                JobType.fromWire(r.type()),
                r.timeElapsed(),
                r.timeRemaining(),
                r.dataTotal(),
                r.dataProcessed(),
                r.dataRemaining(),
                r.memTotal(),
                r.memProcessed(),
                r.memRemaining(),
                r.fileTotal(),
                r.fileProcessed(),
                r.fileRemaining());
    }

    /** The wire carries the job type beside the list; it is put first as {@code type} (INT), as the API says. */
    @Override
    public List<TypedParam> jobStats(DomainRef domain, int flags) {
        JobStatsRet r = call(DOMAIN_GET_JOB_STATS, new DomainFlags(domain, flags));
        List<TypedParam> out = new ArrayList<>(r.params().size() + 1);
        out.add(TypedParam.integer("type", r.type()));
        out.addAll(r.params());
        return out;
    }

    @Override
    public void abortJob(DomainRef domain, int flags) {
        if (flags == 0) {
            call(DOMAIN_ABORT_JOB, domain);
        } else {
            call(DOMAIN_ABORT_JOB_FLAGS, new DomainFlags(domain, flags));
        }
    }

    /** SAVE (55) without xml or flags, SAVE_FLAGS (232) with them, SAVE_PARAMS (440) when a format is named. */
    @Override
    public void save(DomainRef domain, String file, String xml, String imageFormat, int flags) {
        if (imageFormat != null) {
            List<TypedParam> params = new ArrayList<>();
            params.add(TypedParam.string("file", file));
            if (xml != null) {
                params.add(TypedParam.string("dxml", xml));
            }
            params.add(TypedParam.string("image_format", imageFormat));
            call(DOMAIN_SAVE_PARAMS, new SaveParamsArgs(domain, params, flags));
        } else if (xml == null && flags == 0) {
            call(DOMAIN_SAVE, new SaveArgs(domain, file));
        } else {
            call(DOMAIN_SAVE_FLAGS, new SaveFlagsArgs(domain, file, xml, flags));
        }
    }

    /**
     * RESTORE (54) or RESTORE_FLAGS (233). The protocol returns no domain, so its name is read first (from
     * {@code xml} or the image's XML) and the domain looked up by name afterwards.
     */
    @Override
    public DomainRef restore(String file, String xml, int flags) {
        String name = XmlNames.domainName(xml != null ? xml : saveImageXml(file, 0));
        if (xml == null && flags == 0) {
            call(DOMAIN_RESTORE, file);
        } else {
            call(DOMAIN_RESTORE_FLAGS, new RestoreFlagsArgs(file, xml, flags));
        }
        return lookupByName(name);
    }

    @Override
    public String saveImageXml(String file, int flags) {
        return call(DOMAIN_SAVE_IMAGE_GET_XML_DESC, new ImageFlagsArgs(file, flags));
    }

    @Override
    public void saveImageDefineXml(String file, String xml, int flags) {
        call(DOMAIN_SAVE_IMAGE_DEFINE_XML, new ImageDefineXmlArgs(file, xml, flags));
    }

    @Override
    public void managedSave(DomainRef domain, int flags) {
        call(DOMAIN_MANAGED_SAVE, new DomainFlags(domain, flags));
    }

    @Override
    public boolean hasManagedSaveImage(DomainRef domain) {
        return call(DOMAIN_HAS_MANAGED_SAVE_IMAGE, new DomainFlags(domain, 0)) != 0;
    }

    @Override
    public void managedSaveRemove(DomainRef domain) {
        call(DOMAIN_MANAGED_SAVE_REMOVE, new DomainFlags(domain, 0));
    }

    /** CORE_DUMP (53) for the raw/ELF format 0, as virsh does; CORE_DUMP_WITH_FORMAT (334) otherwise. */
    @Override
    public void coreDump(DomainRef domain, String file, int format, int flags) {
        if (format == 0) {
            call(DOMAIN_CORE_DUMP, new CoreDumpArgs(domain, file, flags));
        } else {
            call(DOMAIN_CORE_DUMP_WITH_FORMAT, new CoreDumpWithFormatArgs(domain, file, format, flags));
        }
    }

    @Override
    public String qemuMonitorCommand(DomainRef domain, String command, int flags) {
        return client.call(
                Program.QEMU,
                QemuProcedures.DOMAIN_MONITOR_COMMAND,
                QemuProcedures.MonitorCommandArgs.CODEC,
                new QemuProcedures.MonitorCommandArgs(domain, command, flags),
                RemoteTypes.STRING);
    }

    @Override
    public void attachDevice(DomainRef domain, String xml, int flags) {
        call(DOMAIN_ATTACH_DEVICE_FLAGS, new DeviceWire.DomainStringFlags(domain, xml, flags));
    }

    @Override
    public void detachDevice(DomainRef domain, String xml, int flags) {
        call(DOMAIN_DETACH_DEVICE_FLAGS, new DeviceWire.DomainStringFlags(domain, xml, flags));
    }

    @Override
    public void detachDeviceAlias(DomainRef domain, String alias, int flags) {
        call(DOMAIN_DETACH_DEVICE_ALIAS, new DeviceWire.DomainStringFlags(domain, alias, flags));
    }

    @Override
    public void updateDevice(DomainRef domain, String xml, int flags) {
        call(DOMAIN_UPDATE_DEVICE_FLAGS, new DeviceWire.DomainStringFlags(domain, xml, flags));
    }

    /** As virsh: first the count, then that many parameters (string values allowed, as libvirt's client adds). */
    @Override
    public List<TypedParam> blockStats(DomainRef domain, String disk, int flags) {
        int all = flags | TYPED_PARAM_STRING_OKAY;
        int n = call(DOMAIN_BLOCK_STATS_FLAGS, new DeviceWire.BlockStatsFlagsArgs(domain, disk, 0, all))
                .nparams();
        if (n == 0) {
            return List.of();
        }
        return call(DOMAIN_BLOCK_STATS_FLAGS, new DeviceWire.BlockStatsFlagsArgs(domain, disk, n, all))
                .params();
    }

    @Override
    public BlockInfo blockInfo(DomainRef domain, String disk, int flags) {
        DeviceWire.BlockInfoRet r = call(DOMAIN_GET_BLOCK_INFO, new DeviceWire.DomainStringFlags(domain, disk, flags));
        return new BlockInfo(r.capacity(), r.allocation(), r.physical());
    }

    @Override
    public List<DomainStatsRecord> domainStats(List<DomainRef> domains, int stats, int flags) {
        return RemoteStats.domainStats(this, domains, stats, flags);
    }

    @Override
    public List<MemoryStat> memoryStats(DomainRef domain, int flags) {
        return call(RemoteProcedures.DOMAIN_MEMORY_STATS, new StatsWire.MemoryStatsArgs(domain, MEMORY_STAT_NR, flags))
                .stream()
                .map(m -> new MemoryStat(m.tag(), m.val()))
                .toList();
    }

    @Override
    public void setMemoryStatsPeriod(DomainRef domain, int periodSeconds, int flags) {
        call(
                RemoteProcedures.DOMAIN_SET_MEMORY_STATS_PERIOD,
                new StatsWire.StatsPeriodArgs(domain, periodSeconds, flags));
    }

    @Override
    public List<VcpuInfo> vcpus(DomainRef domain) {
        return RemoteStats.vcpus(this, domain, info(domain).vcpus());
    }

    @Override
    public ControlInfo controlInfo(DomainRef domain, int flags) {
        StatsWire.ControlInfoRet r = call(RemoteProcedures.DOMAIN_GET_CONTROL_INFO, new DomainFlags(domain, flags));
        return new ControlInfo(r.state(), r.details(), r.stateTime());
    }

    @Override
    public String sysinfo(int flags) {
        return call(RemoteProcedures.CONNECT_GET_SYSINFO, flags);
    }

    @Override
    public NodeCpuMap cpuMap(int flags) {
        return RemoteStats.cpuMap(this, flags);
    }

    @Override
    public long freeMemory() {
        return call(RemoteProcedures.NODE_GET_FREE_MEMORY, null);
    }

    @Override
    public List<Long> cellsFreeMemory(int startCell, int maxCells) {
        return call(RemoteProcedures.NODE_GET_CELLS_FREE_MEMORY, new HostWire.CellsFreeMemoryArgs(startCell, maxCells));
    }

    @Override
    public Map<String, Long> nodeMemoryStats(int cell, int flags) {
        return RemoteStats.nodeMemoryStats(this, cell, flags);
    }

    @Override
    public Map<String, Long> nodeCpuStats(int cpu, int flags) {
        return RemoteStats.nodeCpuStats(this, cpu, flags);
    }

    @Override
    public int maxVcpus(String type) {
        return call(RemoteProcedures.CONNECT_GET_MAX_VCPUS, type);
    }

    @Override
    public List<String> cpuModelNames(String arch, int flags) {
        return call(RemoteProcedures.CONNECT_GET_CPU_MODEL_NAMES, new HostWire.CpuModelsArgs(arch, 1, flags))
                .models();
    }

    @Override
    public InterfaceStats interfaceStats(DomainRef domain, String device) {
        DeviceWire.InterfaceStatsRet r = call(DOMAIN_INTERFACE_STATS, new DeviceWire.DomainPath(domain, device));
        return new InterfaceStats(
                r.rxBytes(), r.rxPackets(), r.rxErrs(), r.rxDrop(), r.txBytes(), r.txPackets(), r.txErrs(), r.txDrop());
    }

    @Override
    public List<DomainInterface> interfaceAddresses(DomainRef domain, int source, int flags) {
        return call(DOMAIN_INTERFACE_ADDRESSES, new DeviceWire.InterfaceAddressesArgs(domain, source, flags));
    }

    /**
     * Registers {@code listener} for lifecycle, job-completed and migration-iteration events of every domain
     * (one CALLBACK_REGISTER_ANY per event id); closing the handle deregisters them. Needs a server with event
     * callbacks (feature 14), as libvirtd and jvirtd have.
     */
    @Override
    public AutoCloseable addDomainEventListener(DomainEventListener listener) {
        if (!callbackEvents) {
            throw VirtException.of(
                    ErrorCode.NO_SUPPORT, ErrorDomain.REMOTE, "the server has no event callbacks (feature 14)");
        }
        return addDomainEventListener(listener, DomainEventId.DEFAULTS);
    }

    /** As above, one CALLBACK_REGISTER_ANY for each kind in {@code ids} (lifecycle first when asked for). */
    @Override
    public AutoCloseable addDomainEventListener(DomainEventListener listener, Set<DomainEventId> ids) {
        if (!callbackEvents) {
            throw VirtException.of(
                    ErrorCode.NO_SUPPORT, ErrorDomain.REMOTE, "the server has no event callbacks (feature 14)");
        }
        return eventCallbacks.add(listener, ids);
    }

    @Override
    public MigrationBegin migrateBegin3(DomainRef domain, List<TypedParam> params, long flags) {
        return migration.begin3(domain, params, flags);
    }

    @Override
    public MigrationPrepared migratePrepare3(List<TypedParam> params, String cookie, long flags) {
        return migration.prepare3(params, cookie, flags);
    }

    @Override
    public String migratePerform3(
            DomainRef domain, String dconnuri, List<TypedParam> params, String cookie, long flags) {
        return migration.perform3(domain, dconnuri, params, cookie, flags);
    }

    @Override
    public MigrationFinished migrateFinish3(List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        return migration.finish3(params, cookie, flags, cancelled);
    }

    @Override
    public void migrateConfirm3(
            DomainRef domain, List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        migration.confirm3(domain, params, cookie, flags, cancelled);
    }

    @Override
    public String migratePrepare2(String uri, long flags, String dname, long bandwidthMiBps, String domainXml) {
        return migration.prepare2(uri, flags, dname, bandwidthMiBps, domainXml);
    }

    @Override
    public void migratePerform2(DomainRef domain, String uri, long flags, String dname, long bandwidthMiBps) {
        migration.perform2(domain, uri, flags, dname, bandwidthMiBps);
    }

    @Override
    public DomainRef migrateFinish2(String dname, String uri, long flags, boolean cancelled) {
        return migration.finish2(dname, uri, flags, cancelled);
    }

    @Override
    public void migrateSetMaxSpeed(DomainRef domain, long mibPerSecond, int flags) {
        call(DOMAIN_MIGRATE_SET_MAX_SPEED, new DomainHyperFlags(domain, mibPerSecond, flags));
    }

    @Override
    public long migrateGetMaxSpeed(DomainRef domain, int flags) {
        return call(DOMAIN_MIGRATE_GET_MAX_SPEED, new DomainFlags(domain, flags));
    }

    @Override
    public void migrateSetMaxDowntime(DomainRef domain, long millis, int flags) {
        call(DOMAIN_MIGRATE_SET_MAX_DOWNTIME, new DomainHyperFlags(domain, millis, flags));
    }

    @Override
    public long migrateGetMaxDowntime(DomainRef domain, int flags) {
        return call(DOMAIN_MIGRATE_GET_MAX_DOWNTIME, new DomainFlags(domain, flags));
    }

    @Override
    public void migrateStartPostCopy(DomainRef domain, int flags) {
        call(DOMAIN_MIGRATE_START_POST_COPY, new DomainFlags(domain, flags));
    }

    /** Deregisters event callbacks, sends CONNECT_CLOSE and closes the socket; a lost connection just closes. */
    @Override
    public void close() {
        if (client.isAlive()) {
            eventCallbacks.removeAll();
            try {
                client.expectClose();
                call(CONNECT_CLOSE, null);
            } catch (VirtException e) {
                // Closing anyway.
            }
        }
        client.close();
        events.shutdown();
    }
}

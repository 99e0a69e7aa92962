package io.jvirt.cli;

import io.jvirt.api.Connection;
import io.jvirt.api.CreateFlags;
import io.jvirt.api.DomainInfo;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobInfo;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.ListFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory {@link Connection} holding domains the test adds, with just enough behaviour for the CLI:
 * lookups, state changes with libvirt's reasons, XML, autostart. It records the last XML flags asked for and
 * the last shutdown wait, and every job call (save, restore, dump, …) as a {@link Call} with its arguments. Its
 * job statistics are what the test sets. Lookups and state are for one thread; {@link #jobInfo} and the
 * {@link #onJob} hook may run on the CLI's progress poller, so the job fields are volatile.
 *
 * <p>Migration: it speaks v3 (and peer to peer) as source and as destination, with fixed cookies; Perform runs
 * {@link #onPerform} on the CLI's migration worker, where a test can hold the migration until it has seen what it
 * waits for. {@link #migrationApis} off makes every migration and job-control call answer NO_SUPPORT, as libvirt's
 * test driver does, for parity runs.
 */
final class FakeConnection implements Connection, MigrationPhases {
    /** One domain's mutable record. */
    static final class Domain {
        final String name;
        final UUID uuid;
        int id = -1;
        StateReason reason = StateReason.SHUTOFF_UNKNOWN;
        boolean persistent = true;
        boolean autostart;
        String xml;
        int vcpus = 1;
        long maxMemKiB = 1048576;
        long memoryKiB = 1048576;
        long cpuTimeNs;
        /** What the next {@link FakeConnection#awaitShutoff} finds: true if the guest powers off in time. */
        boolean powersOff = true;

        boolean managedSave;

        Domain(String name, UUID uuid) {
            this.name = name;
            this.uuid = uuid;
            this.xml = "<domain type='qemu'><name>" + name + "</name><uuid>" + uuid + "</uuid>"
                    + "<os><type arch='x86_64'>hvm</type></os><devices/></domain>\n";
        }

        DomainRef ref() {
            return new DomainRef(name, uuid, id);
        }
    }

    private static final Pattern NAME = Pattern.compile("<name>([^<]+)</name>");

    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private int nextId = 1;
    String uri = "qemu:///embed?root=/tmp/fake";
    int lastXmlFlags = -1;
    long lastAwaitMillis = -1;
    boolean closed;

    /** One recorded job call: the API method's name and its arguments (flags and formats as the wire ints). */
    record Call(String method, String domain, String file, String xml, Object extra, int flags) {}

    final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What {@link #jobStats} returns; null makes it fail with NO_SUPPORT, as before the driver had them. */
    volatile List<TypedParam> jobStats;

    volatile JobInfo jobInfo = JobInfo.NONE;
    /** Makes every job call fail with this error, after being recorded. */
    volatile VirtException jobFailure;
    /** Runs inside save/managedSave/coreDump, on the calling thread, before they return. */
    volatile Runnable onJob = () -> {};

    final java.util.concurrent.atomic.AtomicInteger jobInfoCalls = new java.util.concurrent.atomic.AtomicInteger();
    String imageXml = "<domain type='qemu'><name>g1</name></domain>\n";

    Domain add(String name, UUID uuid) {
        Domain d = new Domain(name, uuid);
        domains.put(name, d);
        return d;
    }

    Domain addRunning(String name, UUID uuid, int id) {
        Domain d = add(name, uuid);
        d.id = id;
        d.reason = StateReason.RUNNING_BOOTED;
        nextId = Math.max(nextId, id + 1);
        return d;
    }

    Domain domain(String name) {
        return domains.get(name);
    }

    private Domain find(DomainRef ref) {
        for (Domain d : domains.values()) {
            if (d.uuid.equals(ref.uuid())) {
                return d;
            }
        }
        throw VirtException.of(
                ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching uuid '" + ref.uuid() + "'");
    }

    private Domain active(DomainRef ref) {
        Domain d = find(ref);
        if (d.id < 0) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
        }
        return d;
    }

    private void stop(Domain d, StateReason reason) {
        d.id = -1;
        d.reason = reason;
        if (!d.persistent) {
            domains.remove(d.name);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String hostname() {
        return "fakehost";
    }

    @Override
    public UUID hostUuid() {
        return UUID.fromString("00000000-0000-0000-0000-000000000001");
    }

    @Override
    public String hypervisorType() {
        return "QEMU";
    }

    @Override
    public long hypervisorVersion() {
        return 10_000_002;
    }

    @Override
    public long libVersion() {
        return 1_000;
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        List<DomainRef> result = new ArrayList<>();
        boolean wantActive = (flags & ListFlags.ACTIVE) != 0 || (flags & (ListFlags.ACTIVE | ListFlags.INACTIVE)) == 0;
        boolean wantInactive =
                (flags & ListFlags.INACTIVE) != 0 || (flags & (ListFlags.ACTIVE | ListFlags.INACTIVE)) == 0;
        for (Domain d : domains.values()) {
            boolean active = d.id >= 0;
            if ((active && wantActive) || (!active && wantInactive)) {
                result.add(d.ref());
            }
        }
        return result;
    }

    @Override
    public DomainRef lookupByName(String name) {
        Domain d = domains.get(name);
        if (d == null) {
            throw VirtException.of(
                    ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching name '" + name + "'");
        }
        return d.ref();
    }

    @Override
    public DomainRef lookupByUuid(UUID uuid) {
        return find(new DomainRef("", uuid, -1)).ref();
    }

    @Override
    public DomainRef lookupById(int id) {
        for (Domain d : domains.values()) {
            if (d.id == id) {
                return d.ref();
            }
        }
        throw VirtException.of(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching id " + id);
    }

    @Override
    public DomainRef defineXml(String xml) {
        Matcher m = NAME.matcher(xml);
        if (!m.find()) {
            throw VirtException.of(ErrorCode.XML_ERROR, ErrorDomain.XML, "missing <name>");
        }
        Domain d = domains.containsKey(m.group(1))
                ? domains.get(m.group(1))
                : add(m.group(1), UUID.nameUUIDFromBytes(m.group(1).getBytes()));
        d.persistent = true;
        d.xml = xml;
        return d.ref();
    }

    @Override
    public void undefine(DomainRef domain, int flags) {
        Domain d = find(domain);
        if (d.id >= 0) {
            d.persistent = false;
        } else {
            domains.remove(d.name);
        }
    }

    @Override
    public DomainRef createXml(String xml, int flags) {
        DomainRef ref = defineXml(xml);
        Domain d = find(ref);
        d.persistent = false;
        start(d, flags);
        return d.ref();
    }

    @Override
    public void create(DomainRef domain, int flags) {
        Domain d = find(domain);
        if (d.id >= 0) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is already running");
        }
        start(d, flags);
    }

    private void start(Domain d, int flags) {
        d.id = nextId++;
        d.reason = (flags & CreateFlags.START_PAUSED) != 0 ? StateReason.PAUSED_USER : StateReason.RUNNING_BOOTED;
    }

    @Override
    public void destroy(DomainRef domain, int flags) {
        stop(active(domain), StateReason.SHUTOFF_DESTROYED);
    }

    @Override
    public void shutdown(DomainRef domain, int flags) {
        Domain d = active(domain);
        if (d.powersOff) {
            stop(d, StateReason.SHUTOFF_SHUTDOWN);
        }
    }

    @Override
    public DomainStatus awaitShutoff(DomainRef domain, long timeoutMillis) {
        lastAwaitMillis = timeoutMillis;
        Domain d = domains.values().stream()
                .filter(x -> x.uuid.equals(domain.uuid()))
                .findFirst()
                .orElse(null);
        if (d != null && d.id >= 0) {
            throw VirtException.of(
                    ErrorCode.OPERATION_TIMEOUT,
                    ErrorDomain.QEMU,
                    "domain '" + d.name + "' still running after " + timeoutMillis + " ms");
        }
        return DomainStatus.of(d == null ? StateReason.SHUTOFF_SHUTDOWN : d.reason);
    }

    @Override
    public void reboot(DomainRef domain, int flags) {
        active(domain);
    }

    @Override
    public void reset(DomainRef domain, int flags) {
        active(domain);
    }

    @Override
    public void suspend(DomainRef domain) {
        Domain d = active(domain);
        calls.add(new Call("suspend", d.name, null, null, null, 0));
        d.reason = StateReason.PAUSED_USER;
    }

    @Override
    public void resume(DomainRef domain) {
        Domain d = active(domain);
        if (d.reason.state() != DomainState.PAUSED) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not paused");
        }
        d.reason = StateReason.RUNNING_UNPAUSED;
    }

    @Override
    public DomainInfo info(DomainRef domain) {
        Domain d = find(domain);
        return new DomainInfo(d.reason.state(), d.maxMemKiB, d.memoryKiB, d.vcpus, d.cpuTimeNs);
    }

    @Override
    public DomainStatus state(DomainRef domain) {
        return DomainStatus.of(find(domain).reason);
    }

    @Override
    public String xmlDesc(DomainRef domain, int flags) {
        lastXmlFlags = flags;
        return find(domain).xml;
    }

    @Override
    public boolean isActive(DomainRef domain) {
        return find(domain).id >= 0;
    }

    @Override
    public boolean isPersistent(DomainRef domain) {
        return find(domain).persistent;
    }

    @Override
    public boolean autostart(DomainRef domain) {
        return find(domain).autostart;
    }

    @Override
    public void setAutostart(DomainRef domain, boolean autostart) {
        Domain d = find(domain);
        if (!d.persistent) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot set autostart for transient domain");
        }
        d.autostart = autostart;
    }

    @Override
    public void attachDevice(DomainRef domain, String xml, int flags) {
        calls.add(new Call("attachDevice", find(domain).name, null, xml, null, flags));
    }

    @Override
    public void detachDevice(DomainRef domain, String xml, int flags) {
        calls.add(new Call("detachDevice", find(domain).name, null, xml, null, flags));
        if (deviceFailure != null) {
            throw deviceFailure;
        }
    }

    @Override
    public List<TypedParam> blockStats(DomainRef domain, String disk, int flags) {
        calls.add(new Call("blockStats", find(domain).name, disk, null, null, flags));
        return List.of(
                TypedParam.ullong("rd_operations", 5),
                TypedParam.ullong("rd_bytes", 2048),
                TypedParam.ullong("wr_operations", 1),
                TypedParam.ullong("wr_bytes", 512));
    }

    @Override
    public io.jvirt.api.InterfaceStats interfaceStats(DomainRef domain, String device) {
        return new io.jvirt.api.InterfaceStats(100, 2, 0, 0, 300, 4, 0, -1);
    }

    /** Makes detachDevice fail with this error, after being recorded. */
    volatile VirtException deviceFailure;

    private void job(String method, DomainRef domain, String file, String xml, Object extra, int flags) {
        calls.add(new Call(method, domain == null ? null : find(domain).name, file, xml, extra, flags));
        if (jobFailure != null) {
            throw jobFailure;
        }
    }

    @Override
    public JobInfo jobInfo(DomainRef domain) {
        jobInfoCalls.incrementAndGet();
        return jobInfo;
    }

    @Override
    public List<TypedParam> jobStats(DomainRef domain, int flags) {
        List<TypedParam> stats = jobStats;
        if ((flags & JobStatsFlags.COMPLETED) != 0 && completedStats != null) {
            stats = completedStats;
        } else if ((flags & JobStatsFlags.COMPLETED) == 0 && !statsScript.isEmpty()) {
            stats = statsScript.poll();
        }
        calls.add(new Call("jobStats", find(domain).name, null, null, null, flags));
        if (stats == null) {
            throw VirtException.of(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, "virDomainGetJobStats");
        }
        return stats;
    }

    @Override
    public void abortJob(DomainRef domain) {
        job("abortJob", domain, null, null, null, 0);
    }

    @Override
    public void abortJob(DomainRef domain, int flags) {
        if (!migrationApis) {
            Connection.super.abortJob(domain, flags);
        }
        job("abortJob", domain, null, null, null, flags);
    }

    // ---- migration ----

    /** Off: every migration API and abortJob with flags answer NO_SUPPORT, as libvirt's test driver. */
    volatile boolean migrationApis = true;
    /** The {@link DriverFeature}s this host claims. */
    final java.util.Set<Integer> features = java.util.concurrent.ConcurrentHashMap.newKeySet();

    {
        features.addAll(List.of(
                DriverFeature.MIGRATION_V3,
                DriverFeature.MIGRATION_P2P,
                DriverFeature.MIGRATION_PARAMS,
                DriverFeature.MIGRATION_OFFLINE));
    }
    /** Runs inside Perform on the migration worker, before it succeeds or throws {@link #jobFailure}. */
    volatile Runnable onPerform = () -> {};
    /** What jobStats returns for the running job, one entry per call, before {@link #jobStats} takes over. */
    final java.util.Queue<List<TypedParam>> statsScript = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** What jobStats returns with {@link JobStatsFlags#COMPLETED}; null: as without the flag. */
    volatile List<TypedParam> completedStats;
    /** The parameters and flags Begin (client-managed) or Perform (peer to peer) received, and Perform's URI. */
    volatile List<TypedParam> migrateParams;

    volatile long migrateFlags = -1;
    volatile String migrateDconnuri;
    volatile long maxSpeed = 8_796_093_022_207L;
    volatile long maxPostcopySpeed;
    volatile long maxDowntime = 300;

    private void migrationCall(String method, DomainRef domain, Object extra, long flags) {
        if (!migrationApis) {
            throw VirtException.of(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, method);
        }
        calls.add(new Call(method, domain == null ? null : find(domain).name, null, null, extra, (int) flags));
    }

    @Override
    public boolean supportsFeature(int feature) {
        return features.contains(feature);
    }

    @Override
    public MigrationBegin migrateBegin3(DomainRef domain, List<TypedParam> params, long flags) {
        migrationCall("virDomainMigrateBegin3Params", domain, null, flags);
        migrateParams = params;
        migrateFlags = flags;
        return new MigrationBegin(find(domain).xml, "begin-cookie");
    }

    @Override
    public MigrationPrepared migratePrepare3(List<TypedParam> params, String cookie, long flags) {
        migrationCall("virDomainMigratePrepare3Params", null, cookie, flags);
        boolean userUri = TypedParam.find(params, MigrateParams.URI).isPresent();
        return new MigrationPrepared("prepare-cookie", userUri ? null : "tcp:fakehost:49152");
    }

    @Override
    public String migratePerform3(
            DomainRef domain, String dconnuri, List<TypedParam> params, String cookie, long flags) {
        migrationCall("virDomainMigratePerform3Params", domain, dconnuri, flags);
        if (dconnuri != null) {
            migrateParams = params;
            migrateFlags = flags;
            migrateDconnuri = dconnuri;
        }
        onPerform.run();
        if (jobFailure != null) {
            throw jobFailure;
        }
        if (dconnuri != null) {
            stop(find(domain), StateReason.SHUTOFF_MIGRATED);
        }
        return "perform-cookie";
    }

    @Override
    public MigrationFinished migrateFinish3(List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        migrationCall("virDomainMigrateFinish3Params", null, cancelled, flags);
        if (cancelled) {
            return new MigrationFinished(null, null);
        }
        String name =
                TypedParam.find(params, MigrateParams.DEST_NAME).orElseThrow().toString();
        Domain arrived = addRunning(name, UUID.nameUUIDFromBytes(name.getBytes()), nextId);
        arrived.reason = StateReason.RUNNING_MIGRATED;
        return new MigrationFinished(arrived.ref(), "finish-cookie");
    }

    @Override
    public void migrateConfirm3(
            DomainRef domain, List<TypedParam> params, String cookie, long flags, boolean cancelled) {
        migrationCall("virDomainMigrateConfirm3Params", domain, cancelled, flags);
        Domain d = find(domain);
        if (cancelled) {
            d.reason = StateReason.RUNNING_MIGRATION_CANCELED;
        } else {
            stop(d, StateReason.SHUTOFF_MIGRATED);
        }
    }

    @Override
    public void migrateSetMaxSpeed(DomainRef domain, long mibPerSecond, int flags) {
        migrationCall("virDomainMigrateSetMaxSpeed", domain, mibPerSecond, flags);
        if ((flags & 1) != 0) {
            maxPostcopySpeed = mibPerSecond;
        } else {
            maxSpeed = mibPerSecond;
        }
    }

    @Override
    public long migrateGetMaxSpeed(DomainRef domain, int flags) {
        migrationCall("virDomainMigrateGetMaxSpeed", domain, null, flags);
        return (flags & 1) != 0 ? maxPostcopySpeed : maxSpeed;
    }

    @Override
    public void migrateSetMaxDowntime(DomainRef domain, long millis, int flags) {
        migrationCall("virDomainMigrateSetMaxDowntime", domain, millis, flags);
        maxDowntime = millis;
    }

    @Override
    public long migrateGetMaxDowntime(DomainRef domain, int flags) {
        migrationCall("virDomainMigrateGetMaxDowntime", domain, null, flags);
        return maxDowntime;
    }

    @Override
    public void migrateStartPostCopy(DomainRef domain, int flags) {
        migrationCall("virDomainMigrateStartPostCopy", domain, null, flags);
    }

    @Override
    public void save(DomainRef domain, String file, String xml, String imageFormat, int flags) {
        job("save", domain, file, xml, imageFormat, flags);
        onJob.run();
        stop(find(domain), StateReason.SHUTOFF_SAVED);
    }

    @Override
    public DomainRef restore(String file, String xml, int flags) {
        job("restore", null, file, xml, null, flags);
        Domain d = domains.values().iterator().next();
        start(d, 0);
        return d.ref();
    }

    @Override
    public String saveImageXml(String file, int flags) {
        job("saveImageXml", null, file, null, null, flags);
        return imageXml;
    }

    @Override
    public void saveImageDefineXml(String file, String xml, int flags) {
        job("saveImageDefineXml", null, file, xml, null, flags);
    }

    @Override
    public void managedSave(DomainRef domain, int flags) {
        job("managedSave", domain, null, null, null, flags);
        onJob.run();
        Domain d = find(domain);
        stop(d, StateReason.SHUTOFF_SAVED);
        d.managedSave = true;
    }

    @Override
    public boolean hasManagedSaveImage(DomainRef domain) {
        return find(domain).managedSave;
    }

    @Override
    public void managedSaveRemove(DomainRef domain) {
        job("managedSaveRemove", domain, null, null, null, 0);
        find(domain).managedSave = false;
    }

    @Override
    public void coreDump(DomainRef domain, String file, int format, int flags) {
        job("coreDump", domain, file, null, format, flags);
        onJob.run();
    }

    @Override
    public void close() {
        closed = true;
    }
}

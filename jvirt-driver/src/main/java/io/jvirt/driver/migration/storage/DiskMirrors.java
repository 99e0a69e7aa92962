package io.jvirt.driver.migration.storage;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.driver.domain.BlockJobState;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.BlockCommands;
import io.jvirt.qmp.BlockDevice;
import io.jvirt.qmp.BlockJobInfo;
import io.jvirt.qmp.NbdAddress;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The source's side of a storage migration in its QEMU: per copied disk an NBD client node connected to the
 * destination's export ({@code migration-<target>-storage}) and a mirror job into it ({@code blockdev-mirror}, job id
 * {@code drive-<alias>}, as libvirt names them). The memory migration starts once every mirror is ready; at QEMU's
 * {@code pre-switchover} the mirrors are completed in sync ({@link #complete}); on any failure they are cancelled
 * at once ({@link #abort}). Either way the client nodes are removed again and the source's images stay the guest's.
 * What a mirror does is learnt from QEMU's {@code BLOCK_JOB_*} events, followed by the run.
 *
 * <p>Threading: started, completed and aborted on the migration's API thread (an abort may also come from a
 * rollback on another API thread, hence the concurrent list); {@link #progress} is read by query threads.
 */
public final class DiskMirrors {
    private static final Logger LOG = System.getLogger(DiskMirrors.class.getName());
    private static final long RECHECK_MILLIS = 1_000;
    private static final long CANCEL_SETTLE_MILLIS = 30_000;

    /** One disk's mirror: the job and the NBD client node it writes to. */
    record Mirror(String target, String jobId, String clientNode) {}

    /** The mirrors' combined progress in bytes, for the job statistics. */
    public record Progress(long total, long processed) {
        public static final Progress NONE = new Progress(0, 0);

        public long remaining() {
            return Math.max(0, total - processed);
        }
    }

    private final QemuRun run;
    private final String domain;
    private final BlockCommands block;
    private final List<Mirror> mirrors = new CopyOnWriteArrayList<>();
    private final List<String> clientNodes = new CopyOnWriteArrayList<>();
    private volatile Progress last = Progress.NONE;
    private volatile boolean completing;
    private volatile boolean completed;
    private String tlsCreds;
    private String tlsHostname;

    public DiskMirrors(QemuRun run, String domain) {
        this.run = run;
        this.domain = domain;
        this.block = new BlockCommands(run.monitor());
    }

    /**
     * Before {@link #start}: the NBD client nodes connect with QEMU's TLS (VIR_MIGRATE_TLS).
     *
     * @param creds    the {@code tls-creds-x509} object's id
     * @param hostname the name the server's certificate is checked against; null for the server's host
     */
    public void useTls(String creds, String hostname) {
        this.tlsCreds = creds;
        this.tlsHostname = hostname;
    }

    /**
     * Connects to each disk's export at {@code server} and starts its mirror. On failure part-way the caller
     * {@link #abort}s, which undoes what was started.
     *
     * @param shallow       NON_SHARED_INC: only the top image is copied
     * @param speedBytes    the mirrors' rate limit in bytes/s (each), 0 for none
     * @param writeBlocking NON_SHARED_SYNCHRONOUS_WRITES: the guest's writes wait for the destination
     */
    public void start(List<DiskDef> disks, NbdAddress server, boolean shallow, long speedBytes, boolean writeBlocking) {
        List<BlockDevice> devices = MonitorCalls.call(domain, block::queryBlock);
        for (DiskDef disk : disks) {
            String node = NbdExports.nodeOf(devices, disk);
            String jobId = CopiedDisks.driveAlias(disk);
            String clientNode = "migration-" + disk.targetDev() + "-storage";
            MonitorCalls.run(domain, () -> block.blockdevAddNbd(clientNode, server, jobId, tlsCreds, tlsHostname));
            clientNodes.add(clientNode);
            run.trackBlockJob(jobId);
            mirrors.add(new Mirror(disk.targetDev(), jobId, clientNode));
            MonitorCalls.run(
                    domain, () -> block.blockdevMirror(jobId, node, clientNode, shallow, speedBytes, writeBlocking));
            LOG.log(Level.DEBUG, "domain {0}: mirroring {1} ({2}) to {3}", domain, disk.targetDev(), node, server);
        }
    }

    /** Whether any disk is being copied. */
    public boolean isEmpty() {
        return mirrors.isEmpty();
    }

    /**
     * Waits until every mirror is ready (copied once, now following writes). Returns early when {@code abandon}
     * holds (the caller looks why); throws when a mirror failed or QEMU went away.
     */
    public void awaitReady(BooleanSupplier abandon) {
        await(() -> failure() != null || allIn(BlockJobState.Phase.READY), abandon);
        VirtException failed = failure();
        if (failed != null) {
            throw failed;
        }
        refreshProgress();
    }

    /**
     * libvirt's error for the first mirror that failed or was cancelled behind our back, or null while they all
     * run: a memory migration whose disks no longer follow must not switch over.
     */
    public VirtException failure() {
        if (completed) {
            return null;
        }
        for (Mirror m : mirrors) {
            BlockJobState s = run.blockJob(m.jobId());
            // Once we asked the mirrors to finish, a ready mirror may report its end as cancelled: that is success.
            boolean cancelledBehindOurBack = s != null && s.phase() == BlockJobState.Phase.CANCELLED && !completing;
            if (s != null && (s.phase() == BlockJobState.Phase.FAILED || cancelledBehindOurBack)) {
                return VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.QEMU,
                        s.error() != null
                                ? "migration of disk " + m.target() + " failed: " + s.error()
                                : "migration of disk " + m.target() + " failed");
            }
        }
        return null;
    }

    /**
     * At the switch-over, with the guest's vCPUs stopped: every mirror finishes with its target in sync
     * (non-forced {@code block-job-cancel}), then the client nodes go. Throws when a mirror failed instead.
     */
    public void complete() {
        VirtException failed = failure();
        if (failed != null) {
            throw failed;
        }
        refreshProgress();
        completing = true;
        for (Mirror m : mirrors) {
            MonitorCalls.run(domain, () -> block.blockJobCancel(m.jobId(), false));
        }
        await(this::allFinal, () -> false);
        failed = failure();
        if (failed != null) {
            throw failed;
        }
        if (!allFinal()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "domain '" + domain + "' is not running: its disks could not be completed");
        }
        completed = true;
        last = new Progress(last.total(), last.total());
        removeClientNodes();
        forgetJobs();
    }

    /**
     * The migration failed or was aborted: every mirror still running is cancelled at once (the destination's copy
     * no longer matters), then the client nodes are removed. Idempotent; never throws.
     */
    public void abort() {
        if (run.ended()) {
            forgetJobs();
            return;
        }
        for (Mirror m : mirrors) {
            BlockJobState s = run.blockJob(m.jobId());
            if (s != null && !s.phase().isFinal()) {
                try {
                    block.blockJobCancel(m.jobId(), true);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "domain {0}: cancel of {1}: {2}", domain, m.jobId(), e.getMessage());
                }
            }
        }
        long deadline = System.nanoTime() + CANCEL_SETTLE_MILLIS * 1_000_000;
        try {
            await(this::allFinal, () -> System.nanoTime() > deadline);
        } catch (VirtException e) {
            LOG.log(Level.DEBUG, "domain {0}: while cancelling mirrors: {1}", domain, e.getMessage());
        }
        removeClientNodes();
        forgetJobs();
    }

    /** The mirrors' progress now (query-block-jobs), or as last seen once the jobs are gone. */
    public Progress progress() {
        if (!completed && !mirrors.isEmpty() && !run.ended()) {
            refreshProgress();
        }
        return last;
    }

    private void refreshProgress() {
        try {
            long total = 0;
            long done = 0;
            int found = 0;
            for (BlockJobInfo j : block.queryBlockJobs()) {
                if (mirrors.stream().anyMatch(m -> m.jobId().equals(j.id()))) {
                    total += j.len();
                    done += j.offset();
                    found++;
                }
            }
            if (found > 0) {
                last = new Progress(total, done);
            }
        } catch (IOException e) {
            // QEMU is going away; the last figures stand
        }
    }

    private boolean allIn(BlockJobState.Phase phase) {
        for (Mirror m : mirrors) {
            BlockJobState s = run.blockJob(m.jobId());
            if (s == null || s.phase() != phase) {
                return false;
            }
        }
        return true;
    }

    private boolean allFinal() {
        for (Mirror m : mirrors) {
            BlockJobState s = run.blockJob(m.jobId());
            if (s != null && !s.phase().isFinal()) {
                return false;
            }
        }
        return true;
    }

    private void await(BooleanSupplier done, BooleanSupplier abandon) {
        boolean reached;
        try {
            reached = run.awaitCondition(done, abandon, RECHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(
                    ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted waiting for the disk mirrors");
        }
        if (!reached && run.ended()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "job 'migration out' failed: QEMU exited (domain is not running)");
        }
    }

    private void removeClientNodes() {
        List<String> nodes = new ArrayList<>(clientNodes);
        clientNodes.clear();
        for (String node : nodes) {
            try {
                block.blockdevDel(node);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "domain " + domain + ": cannot remove node " + node + ": " + e.getMessage());
            }
        }
    }

    private void forgetJobs() {
        for (Mirror m : mirrors) {
            run.forgetBlockJob(m.jobId());
        }
    }
}

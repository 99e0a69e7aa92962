package io.jvirt.driver;

import io.jvirt.api.DomainState;
import io.jvirt.api.DumpFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobType;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.job.JobProgress;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.save.SaveFormat;
import io.jvirt.driver.save.SaveWriter;
import io.jvirt.qmp.DumpState;
import io.jvirt.qmp.DumpStatus;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Core dumps, as libvirt makes them: with {@code --memory-only}, QEMU's {@code dump-guest-memory} (an ELF core, or a
 * kdump/win-dmp format) written through a pipe jvirt owns; otherwise QEMU's migration stream through the same path
 * as save ({@link MigrationToFile}), without the save header, compressed per {@code dump_image_format}. Unless
 * {@code --live}, the guest is paused (paused, dump) while it is dumped and resumed afterwards; {@code --crash}
 * ends it (shut off, crashed) and {@code --reset} resets it.
 *
 * <p>Threading: runs on the caller's thread as the domain's job and async DUMP job.
 */
final class DomainDumper {
    private static final long POLL_MILLIS = 200;
    private static final Duration PUMP_DRAIN = Duration.ofMinutes(2);

    private final DriverContext ctx;
    private final DomainLifecycle lifecycle;

    DomainDumper(DriverContext ctx, DomainLifecycle lifecycle) {
        this.ctx = ctx;
        this.lifecycle = lifecycle;
    }

    void dump(DomainObj dom, Path file, int format, int flags, SaveFormat streamFormat) {
        boolean memoryOnly = (flags & DumpFlags.MEMORY_ONLY) != 0;
        if (!memoryOnly && format != DumpFlags.FORMAT_RAW) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "dump formats other than raw need --memory-only");
        }
        if ((flags & DumpFlags.CRASH) != 0 && (flags & DumpFlags.RESET) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "crash and reset flags are mutually exclusive");
        }
        String qemuFormat = qemuFormat(format);
        try (DomainObj.Job _ = dom.beginJob("dump", DomainLifecycle.JOB_WAIT_MILLIS)) {
            QemuRun run = dom.requireRun();
            if (!memoryOnly) {
                streamFormat.checkAvailable();
            }
            String name = dom.name();
            boolean pause = (flags & DumpFlags.LIVE) == 0 && dom.status().state() == DomainState.RUNNING;
            DomainJob dumpJob = new DomainJob(AsyncJobKind.DUMP);
            dom.setAsyncJob(dumpJob);
            try {
                if (pause) {
                    MonitorCalls.run(name, run.monitor()::stop);
                    ctx.updateStatus(dom, run, StateReason.PAUSED_DUMP);
                }
                SaveFormat fileFormat = memoryOnly ? SaveFormat.RAW : streamFormat;
                createEmpty(file);
                try (SaveWriter writer = SaveWriter.start(file, 0, fileFormat, name)) {
                    if (memoryOnly) {
                        dumpMemory(name, run, dumpJob, writer, qemuFormat);
                    } else {
                        MigrationToFile.run(name, run, dumpJob, writer);
                    }
                }
                dom.setCompletedJobStats(dumpJob.completedStats(JobType.COMPLETED));
            } catch (RuntimeException e) {
                dom.setCompletedJobStats(dumpJob.completedStats(JobType.FAILED));
                throw e;
            } finally {
                dom.setAsyncJob(null);
                after(dom, run, flags, pause);
            }
        }
    }

    private void dumpMemory(String name, QemuRun run, DomainJob job, SaveWriter writer, String qemuFormat) {
        Monitor monitor = run.monitor();
        job.setProgress(() -> {
            try {
                DumpStatus s = monitor.queryDump();
                return new JobProgress(
                        s.totalBytes(), s.completedBytes(), s.totalBytes() - s.completedBytes(), 0, 0, 0);
            } catch (IOException e) {
                return JobProgress.NOTHING;
            }
        });
        MonitorCalls.run(name, () -> monitor.getfd(MigrationToFile.FD_NAME, writer.qemuFd()));
        writer.closeQemuFd();
        MonitorCalls.run(name, () -> monitor.dumpGuestMemory("fd:" + MigrationToFile.FD_NAME, false, qemuFormat, true));
        while (true) {
            DumpStatus status = MonitorCalls.call(name, monitor::queryDump);
            if (status.state() == DumpState.COMPLETED) {
                break;
            }
            if (status.state() == DumpState.FAILED || run.ended()) {
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.QEMU,
                        "job 'domain core dump' failed: "
                                + writer.failure().orElse("QEMU reported the memory dump failed"));
            }
            // QEMU announces the end with DUMP_COMPLETED; asking every 200 ms costs nothing next to a dump.
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted dumping " + name);
            }
        }
        writer.awaitDone(PUMP_DRAIN);
    }

    /** What follows a dump: --crash ends the guest, --reset resets it, a guest we paused runs again. */
    private void after(DomainObj dom, QemuRun run, int flags, boolean paused) {
        if (!dom.isCurrent(run)) {
            return;
        }
        String name = dom.name();
        if ((flags & DumpFlags.CRASH) != 0) {
            run.expectStop(StateReason.SHUTOFF_CRASHED);
            QemuLauncher.kill(run.pid(), dom.uuid().toString());
            lifecycle.stopped(dom, run, StateReason.SHUTOFF_CRASHED);
            return;
        }
        if ((flags & DumpFlags.RESET) != 0) {
            MonitorCalls.run(name, run.monitor()::systemReset);
        }
        if (paused) {
            MonitorCalls.run(name, run.monitor()::cont);
            ctx.updateStatus(dom, run, StateReason.RUNNING_UNPAUSED);
        }
    }

    private static void createEmpty(Path file) {
        try {
            java.nio.file.Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    private static String qemuFormat(int format) {
        return switch (format) {
            case DumpFlags.FORMAT_RAW -> "elf";
            case DumpFlags.FORMAT_KDUMP_ZLIB -> "kdump-zlib";
            case DumpFlags.FORMAT_KDUMP_LZO -> "kdump-lzo";
            case DumpFlags.FORMAT_KDUMP_SNAPPY -> "kdump-snappy";
            case DumpFlags.FORMAT_WIN_DMP -> "win-dmp";
            default -> throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "unknown dump format " + format);
        };
    }
}

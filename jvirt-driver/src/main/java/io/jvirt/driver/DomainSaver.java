package io.jvirt.driver;

import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobType;
import io.jvirt.api.SaveFlags;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
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
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.QemuLauncher;
import io.jvirt.driver.save.SaveFormat;
import io.jvirt.driver.save.SaveImage;
import io.jvirt.driver.save.SaveImageHeader;
import io.jvirt.driver.save.SaveWriter;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;

/**
 * Saves a running guest into a libvirt-format image and stops it (shut off, saved). The image's magic says
 * "partial" until QEMU's whole stream is in the file, so no failed save leaves a file that claims to be complete;
 * a save that fails anywhere resumes a guest that was running (running, save canceled) and removes the file it
 * created.
 *
 * <p>Threading: runs on the caller's thread as the domain's job and async SAVE job.
 */
final class DomainSaver {
    private static final Logger LOG = System.getLogger(DomainSaver.class.getName());

    private final DriverContext ctx;
    private final DomainLifecycle lifecycle;

    DomainSaver(DriverContext ctx, DomainLifecycle lifecycle) {
        this.ctx = ctx;
        this.lifecycle = lifecycle;
    }

    void save(DomainObj dom, Path file, String xmlOverride, SaveFormat format, int flags) {
        try (DomainObj.Job _ = dom.beginJob("save", DomainLifecycle.JOB_WAIT_MILLIS)) {
            QemuRun run = dom.requireRun();
            format.checkAvailable(); // before the guest is touched
            String name = dom.name();
            boolean running = dom.status().state() == DomainState.RUNNING;
            // --running / --paused say how the image should come back; without them, as the guest is now.
            boolean runAfterRestore = runAfterRestore(flags, running);
            String xml = imageXml(dom, xmlOverride);
            boolean created = !Files.exists(file);
            DomainJob saveJob = new DomainJob(AsyncJobKind.SAVE);
            dom.setAsyncJob(saveJob);
            try {
                writeImage(dom, run, file, xml, format, running, runAfterRestore, saveJob);
            } catch (RuntimeException e) {
                dom.setCompletedJobStats(
                        saveJob.completedStats(saveJob.abortRequested() ? JobType.CANCELLED : JobType.FAILED));
                removeIncomplete(file, created);
                resumeAfterFailure(dom, run, running);
                throw e;
            } finally {
                dom.setAsyncJob(null);
            }
            dom.setCompletedJobStats(saveJob.completedStats(JobType.COMPLETED));
            run.expectStop(StateReason.SHUTOFF_SAVED);
            QemuLauncher.kill(run.pid(), dom.uuid().toString());
            lifecycle.stopped(dom, run, StateReason.SHUTOFF_SAVED);
            LOG.log(Level.DEBUG, "domain {0} saved to {1}", name, file);
        }
    }

    /** {@code virDomainManagedSave}: a save into the driver's own image, which the next start restores. */
    void managedSave(DomainObj dom, int flags) {
        if (!dom.isPersistent()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot do managed save for transient domain");
        }
        Path file = ctx.root().managedSaveFile(dom.name());
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot create " + file.getParent(), e);
        }
        save(dom, file, null, SaveFormat.fromName(ctx.settings().saveImageFormat()), flags);
    }

    /** The XML the image carries: the caller's replacement (same domain), else the migratable live definition. */
    private static String imageXml(DomainObj dom, String xmlOverride) {
        DomainDef def = dom.liveDef();
        if (xmlOverride != null) {
            DomainDef replacement = DomainXml.parse(xmlOverride);
            if (!replacement.uuid().equals(def.uuid()) || !replacement.name().equals(def.name())) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG,
                        ErrorDomain.QEMU,
                        "the replacement XML must describe domain '" + def.name() + "' (" + def.uuid() + ")");
            }
            def = replacement;
        }
        // The image may be restored by libvirt, which adds a USB controller to XML that names none.
        return DomainXml.format(ImplicitUsb.explicit(def), EnumSet.of(FormatFlag.MIGRATABLE));
    }

    private void writeImage(
            DomainObj dom,
            QemuRun run,
            Path file,
            String xml,
            SaveFormat format,
            boolean running,
            boolean runAfterRestore,
            DomainJob saveJob) {
        String name = dom.name();
        try (FileChannel image = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long streamOffset =
                    SaveImage.writePreamble(image, SaveImageHeader.partial(runAfterRestore, format), xml, null);
            if (running) {
                MonitorCalls.run(name, run.monitor()::stop);
                ctx.updateStatus(dom, run, StateReason.PAUSED_SAVE);
            }
            try (SaveWriter writer = SaveWriter.start(file, streamOffset, format, name)) {
                MigrationToFile.run(name, run, saveJob, writer);
            }
            SaveImage.markComplete(image);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.QEMU,
                    "failed to write save image " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static void removeIncomplete(Path file, boolean created) {
        if (!created) {
            return; // an existing file keeps its "partial" magic: it never claims to be a complete image
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove incomplete save image " + file + ": " + e.getMessage());
        }
    }

    private void resumeAfterFailure(DomainObj dom, QemuRun run, boolean wasRunning) {
        if (!wasRunning || !dom.isCurrent(run)) {
            return;
        }
        try {
            MonitorCalls.run(dom.name(), run.monitor()::cont);
            ctx.updateStatus(dom, run, StateReason.RUNNING_SAVE_CANCELED);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "domain " + dom.name() + " stays paused after a failed save: " + e.getMessage());
        }
    }

    /** The flags' say on whether a (restored) guest runs, else what it was doing. */
    static boolean runAfterRestore(int flags, boolean wasRunning) {
        if ((flags & SaveFlags.RUNNING) != 0) {
            return true;
        }
        return (flags & SaveFlags.PAUSED) == 0 && wasRunning;
    }
}

package io.jvirt.driver;

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
import io.jvirt.driver.domain.MigrationWaitEnd;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.AsyncJobKind;
import io.jvirt.driver.job.DomainJob;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.lifecycle.StartOptions;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.save.RestoreReader;
import io.jvirt.driver.save.SaveFormat;
import io.jvirt.driver.save.SaveImage;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.Monitor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

/**
 * Starts a guest from a save image: QEMU starts with {@code -incoming defer}, the image's stream (decompressed by a
 * helper jvirt spawns, when it is compressed) is fed through a pipe jvirt owns, and the guest runs again with reason
 * restored, or stays paused when asked or when it was paused at save time. Nothing is left started on failure.
 *
 * <p>Threading: runs on the caller's thread, inside the domain's start job.
 */
final class DomainRestorer {
    private static final Duration PUMP_DRAIN = Duration.ofMinutes(2);

    private final DomainLifecycle lifecycle;

    DomainRestorer(DriverContext ctx, DomainLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** Restores the image at {@code file} into {@code dom} (found or added by the caller from the image's XML). */
    void restore(DomainObj dom, DomainDef def, SaveImage image, Path file, int flags) {
        SaveFormat format = image.header().format();
        format.checkAvailable();
        boolean run = DomainSaver.runAfterRestore(flags, image.header().wasRunning());
        StartOptions options =
                new StartOptions(!run, (d, r) -> receive(d, r, file, image, format), StateReason.RUNNING_RESTORED);
        lifecycle.start(dom, def, options);
    }

    private void receive(DomainObj dom, QemuRun run, Path file, SaveImage image, SaveFormat format) {
        String name = dom.name();
        Monitor monitor = run.monitor();
        DomainJob job = new DomainJob(AsyncJobKind.START);
        dom.setAsyncJob(job);
        job.setProgress(() -> MigrationToFile.progress(monitor));
        try (RestoreReader reader = RestoreReader.start(file, image.streamOffset(), format, name)) {
            MonitorCalls.run(name, () -> monitor.setMigrateCapabilities(Map.of("events", true)));
            run.resetMigrationStatus();
            MonitorCalls.run(name, () -> monitor.getfd(MigrationToFile.FD_NAME, reader.qemuFd()));
            reader.closeQemuFd();
            MonitorCalls.run(name, () -> monitor.migrateIncoming("fd:" + MigrationToFile.FD_NAME));
            MigrationWaitEnd end;
            try {
                end = run.awaitMigrationEnd(() -> false, 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted restoring " + name);
            }
            if (!end.is(MigrationStatus.COMPLETED)) {
                String why = reader.failure().orElse("QEMU reported the incoming migration " + end.describe());
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.QEMU,
                        "cannot restore domain '" + name + "' from " + file + ": " + why);
            }
            reader.awaitDone(PUMP_DRAIN);
            dom.setCompletedJobStats(job.completedStats(JobType.COMPLETED));
        } catch (RuntimeException e) {
            dom.setCompletedJobStats(job.completedStats(JobType.FAILED));
            throw e;
        } finally {
            dom.setAsyncJob(null);
        }
    }

    /** Parses the XML a restore starts from: the caller's replacement, else the image's own. */
    static DomainDef definition(SaveImage image, String xmlOverride) {
        // libvirt's images leave out the USB controller libvirt gave the guest; its QEMU had one.
        DomainDef fromImage = ImplicitUsb.withLibvirtDefault(DomainXml.parse(image.domainXml()))
                .withId(-1);
        if (xmlOverride == null) {
            return fromImage;
        }
        DomainDef replacement =
                ImplicitUsb.withLibvirtDefault(DomainXml.parse(xmlOverride)).withId(-1);
        if (!replacement.uuid().equals(fromImage.uuid())) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "the replacement XML describes domain " + replacement.uuid() + ", the image holds "
                            + fromImage.uuid());
        }
        return replacement;
    }

    /** {@code virDomainSaveImageDefineXML}: the image's XML replaced (same domain), and its run/paused choice. */
    static void replaceImageXml(Path path, String xml, int flags) {
        DomainDef current = DomainXml.parse(SaveImage.open(path).domainXml());
        DomainDef replacement = DomainXml.parse(xml);
        if (!replacement.uuid().equals(current.uuid())) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "the new XML describes domain " + replacement.uuid() + ", the image holds " + current.uuid());
        }
        SaveImage.replaceXml(path, DomainXml.format(replacement, EnumSet.of(FormatFlag.MIGRATABLE)));
        if ((flags & (SaveFlags.RUNNING | SaveFlags.PAUSED)) != 0) {
            SaveImage.setWasRunning(path, (flags & SaveFlags.RUNNING) != 0);
        }
    }
}

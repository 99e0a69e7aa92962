package io.jvirt.driver.migration;

import io.jvirt.api.MigrateFlags;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.root.MigrationTlsSettings;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.QmpCommandException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies a migration's {@link QemuMigrationSettings} to QEMU, on either side, keeping what QEMU had before so
 * that it can be put back when the job ends.
 *
 * <p>Threading: called on the phase's API thread, under the domain's job.
 */
final class QemuMigrationSetup {
    private static final Logger LOG = System.getLogger(QemuMigrationSetup.class.getName());

    private static final long CLEANUP_WAIT_MILLIS = 10_000;
    private static final long CLEANUP_POLL_MILLIS = 20;

    private QemuMigrationSetup() {}

    /** As the seven-argument {@code configure}, for a migration without QEMU's TLS (the tunnel's). */
    static void configure(
            Monitor monitor,
            String name,
            MigrationJob job,
            MigrationOptions options,
            MigrationOptions.Side side,
            long maxSpeedMiBps) {
        configure(monitor, name, job, options, side, maxSpeedMiBps, null, Set.of());
    }

    /**
     * Saves QEMU's parameters as they are, then sets the capabilities and parameters this migration needs,
     * max-bandwidth always (QEMU's own default would cap the migration at 128 MiB/s). With VIR_MIGRATE_TLS the
     * side's credentials object is added first, and named in the parameters.
     *
     * @param tls              the TLS settings and the source's {@code tls-hostname}; null when the options ask for
     *                         no TLS
     * @param peerCapabilities what the peer's cookie says of the capabilities both sides must switch on together
     *                         (see {@link QemuMigrationSettings#of(MigrationOptions, MigrationOptions.Side, long,
     *                         Set)})
     */
    static void configure(
            Monitor monitor,
            String name,
            MigrationJob job,
            MigrationOptions options,
            MigrationOptions.Side side,
            long maxSpeedMiBps,
            Tls tls,
            Set<String> peerCapabilities) {
        job.attach(monitor);
        Map<String, Object> originals =
                MonitorCalls.call(name, monitor::queryMigrateParameters).raw();
        job.setOriginalParams(originals);
        Map<String, Boolean> supported = MonitorCalls.call(name, monitor::queryMigrateCapabilities);
        QemuMigrationSettings settings = QemuMigrationSettings.of(options, side, maxSpeedMiBps, peerCapabilities);
        settings.requireSupported(supported);
        if (options.tls()) {
            Objects.requireNonNull(tls, "a TLS migration needs its TLS settings");
            MigrationTls.addObject(monitor, name, tls.settings(), side);
            settings = settings.withTls(tls.hostname());
        }
        QemuMigrationSettings chosen = settings;
        MonitorCalls.run(name, () -> monitor.setMigrateCapabilities(chosen.capabilities(supported)));
        MonitorCalls.run(name, () -> monitor.setMigrateParameters(chosen.parameters()));
    }

    /**
     * The TLS part of a side's setup.
     *
     * @param settings the host's migration TLS settings
     * @param hostname the source's {@code tls-hostname} ("" on the destination)
     */
    record Tls(MigrationTlsSettings settings, String hostname) {}

    /**
     * Puts QEMU's migration capabilities and parameters back as they were before {@link #configure}, and removes
     * the TLS credentials object of a migration that had one.
     */
    static void restore(Monitor monitor, String name, MigrationJob job) {
        try {
            awaitCleanup(monitor, name);
            Map<String, Boolean> supported = monitor.queryMigrateCapabilities();
            monitor.setMigrateCapabilities(QemuMigrationSettings.reset(supported));
            Map<String, Object> originals = job.originalParams();
            if (originals != null) {
                monitor.setMigrateParameters(QemuMigrationSettings.restorable(originals));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "domain " + name + ": cannot reset migration settings: " + e.getMessage());
        }
        if ((job.flags() & MigrateFlags.TLS) != 0) {
            MigrationTls.removeObject(monitor, name);
        }
    }

    /**
     * Waits (bounded) until QEMU has cleaned up after the migration. QEMU 10.0 reports a migration failed before
     * its cleanup has run, and that cleanup tears the multifd channels down only while the multifd capability is
     * still on: switched off in between, a channel stays registered and QEMU aborts on its yank assertion. There is
     * no event for the cleanup's end; the migration's yank instance, which QEMU drops last, is the sign.
     */
    private static void awaitCleanup(Monitor monitor, String name) throws IOException {
        long deadline = System.nanoTime() + CLEANUP_WAIT_MILLIS * 1_000_000;
        try {
            while (monitor.holdsMigrationYank()) {
                if (System.nanoTime() > deadline) {
                    LOG.log(Level.WARNING, "domain " + name + ": QEMU has not cleaned up after its migration");
                    return;
                }
                Thread.sleep(CLEANUP_POLL_MILLIS);
            }
        } catch (QmpCommandException e) {
            LOG.log(Level.DEBUG, "domain {0}: query-yank refused: {1}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

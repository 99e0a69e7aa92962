package io.jvirt.driver.lifecycle;

import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.job.DomainJob;

/**
 * How a domain is started: paused or not, and whether its state comes in through an incoming migration (a restore
 * now, a migration destination later), in which case QEMU starts with {@code -incoming defer} and {@code incoming}
 * feeds it before the guest runs.
 *
 * @param runningReason the reason of the running state the start ends in (booted, restored, migrated)
 * @param owner         the async job the start belongs to (an incoming migration's), or null
 */
public record StartOptions(boolean paused, Incoming incoming, StateReason runningReason, DomainJob owner) {

    public StartOptions(boolean paused, Incoming incoming, StateReason runningReason) {
        this(paused, incoming, runningReason, null);
    }

    public static StartOptions boot(boolean paused) {
        return new StartOptions(paused, null, StateReason.RUNNING_BOOTED);
    }

    /** Feeds an incoming migration into a started, paused QEMU and waits until it has completed; throws if not. */
    @FunctionalInterface
    public interface Incoming {
        void receive(DomainObj dom, QemuRun run);
    }
}

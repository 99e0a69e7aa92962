package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The source's last step of a tunnelled Perform, once QEMU reported completion: every stream sender must be done
 * with its channel, and each must have read QEMU's clean end; otherwise the destination stopped taking data (or is
 * gone), and the migration fails although QEMU thinks it finished.
 *
 * <p>Threading: Perform's thread.
 */
final class TunnelDrain {
    static final long SECONDS = 120;

    /** What a sender reads from: whether it let go of it, and whether it got to QEMU's end of stream. */
    interface Sent {
        boolean awaitReleased(long timeout, TimeUnit unit) throws InterruptedException;

        boolean ended();
    }

    private TunnelDrain() {}

    /** Waits up to {@link #SECONDS} in all; {@code lost} names a destination that went away. */
    static void drain(List<? extends Sent> channels, Supplier<VirtException> lost) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        try {
            for (Sent c : channels) {
                if (!c.awaitReleased(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_TIMEOUT,
                            ErrorDomain.QEMU,
                            "tunnelled migration: the destination took no more data for " + SECONDS + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted draining the tunnel");
        }
        for (Sent c : channels) {
            if (!c.ended()) {
                VirtException gone = lost.get();
                throw gone != null
                        ? gone
                        : VirtException.of(
                                ErrorCode.OPERATION_FAILED,
                                ErrorDomain.QEMU,
                                "tunnelled migration: the destination stopped taking data");
            }
        }
    }
}

package io.jvirt.driver.migration.peer;

import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Function;

/**
 * The destination's Finish as a peer-to-peer source calls it (v3's Finish3 and v2's Finish2 alike), with libvirt's
 * rules: Finish is told whether Perform failed, and is skipped only when Perform failed because the destination is
 * gone (nobody would answer); a failed Perform's error is the migration's, whatever Finish said.
 *
 * @param <T> what Finish returns when the guest arrived (null otherwise)
 * @param arrived Finish's result, or null when it failed or was skipped
 * @param error   Finish's error, or null
 *
 * <p>Threading: the Perform caller's thread.
 */
record PeerFinish<T>(T arrived, VirtException error) {
    private static final Logger LOG = System.getLogger(PeerFinish.class.getName());

    /** Calls {@code finish} with "cancelled" = Perform failed; rethrows {@code performError} after it. */
    static <T> PeerFinish<T> call(
            PeerLink link, DomainObj dom, VirtException performError, Function<Boolean, T> finish) {
        T arrived = null;
        VirtException error = null;
        if (link.lost() == null || performError == null) {
            try {
                arrived = finish.apply(performError != null);
            } catch (VirtException e) {
                error = e;
            }
        }
        if (performError != null) {
            if (arrived != null) {
                LOG.log(Level.WARNING, "finish step ignored that migration of {0} was cancelled", dom.name());
            }
            throw performError;
        }
        return new PeerFinish<>(arrived, error);
    }
}

package io.jvirt.driver;

import io.jvirt.api.DomainState;
import io.jvirt.api.ListFlags;
import io.jvirt.driver.domain.DomainObj;

/**
 * libvirt's filter for {@code virConnectListAllDomains}: each group of flags (active/inactive,
 * persistent/transient, state, autostart, managed save) narrows the list only when one of its flags is given.
 */
final class DomainListFilter {
    private DomainListFilter() {}

    static boolean matches(DomainObj d, int flags) {
        boolean active = d.isActive();
        DomainState state = d.status().state();
        if (!group(flags, ListFlags.ACTIVE, active, ListFlags.INACTIVE, !active)) {
            return false;
        }
        if (!group(flags, ListFlags.PERSISTENT, d.isPersistent(), ListFlags.TRANSIENT, !d.isPersistent())) {
            return false;
        }
        if (has(flags, ListFlags.RUNNING | ListFlags.PAUSED | ListFlags.SHUTOFF | ListFlags.OTHER)) {
            boolean other = state != DomainState.RUNNING && state != DomainState.PAUSED && state != DomainState.SHUTOFF;
            boolean ok = has(flags, ListFlags.RUNNING) && state == DomainState.RUNNING
                    || has(flags, ListFlags.PAUSED) && state == DomainState.PAUSED
                    || has(flags, ListFlags.SHUTOFF) && state == DomainState.SHUTOFF
                    || has(flags, ListFlags.OTHER) && other;
            if (!ok) {
                return false;
            }
        }
        if (!group(flags, ListFlags.AUTOSTART, d.autostart(), ListFlags.NO_AUTOSTART, !d.autostart())) {
            return false;
        }
        // No domain has a managed save image yet (save/restore comes later): MANAGEDSAVE alone matches none.
        return group(flags, ListFlags.MANAGEDSAVE, false, ListFlags.NO_MANAGEDSAVE, true);
    }

    /** A pair of opposite flags: no filter when neither is given, else the domain must match one that is. */
    private static boolean group(int flags, int yesFlag, boolean yes, int noFlag, boolean no) {
        if (!has(flags, yesFlag | noFlag)) {
            return true;
        }
        return has(flags, yesFlag) && yes || has(flags, noFlag) && no;
    }

    private static boolean has(int flags, int mask) {
        return (flags & mask) != 0;
    }
}

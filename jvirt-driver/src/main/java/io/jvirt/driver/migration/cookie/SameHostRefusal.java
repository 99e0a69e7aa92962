package io.jvirt.driver.migration.cookie;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;

/**
 * libvirt's refusal of a migration that would not leave its host: "Attempt to migrate guest to the same host
 * UUID", reported as an internal error as libvirt's cookie check reports it. Said by the cookie check (the peer's
 * host UUID is ours) and wherever a migration is seen to aim at its own root before any cookie is made.
 */
public final class SameHostRefusal {
    private SameHostRefusal() {}

    public static VirtException of(String hostUuid) {
        return VirtException.of(
                ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "Attempt to migrate guest to the same host " + hostUuid);
    }
}

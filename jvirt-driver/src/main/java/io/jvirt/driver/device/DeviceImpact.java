package io.jvirt.driver.device;

import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;

/**
 * Which definitions a device change touches, from {@link DeviceModifyFlags} as libvirt reads them: CURRENT is the
 * live definition of a running domain, else the persistent one; LIVE needs a running domain, CONFIG a persistent
 * one. {@code virsh --persistent} arrives as LIVE|CONFIG for a running domain. The everyday calls (setmem,
 * metadata) resolve theirs here too.
 */
public record DeviceImpact(boolean live, boolean config) {

    /**
     * Resolves {@code flags} for {@code dom} as it is now.
     *
     * @param allowed the flags the API accepts; others are refused as libvirt's flag check does
     * @param api     the API's name for that refusal
     */
    public static DeviceImpact resolve(DomainObj dom, int flags, int allowed, String api) {
        if ((flags & ~allowed) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags & ~allowed) + ") in function " + api);
        }
        boolean active = dom.isActive();
        boolean live = (flags & DeviceModifyFlags.LIVE) != 0;
        boolean config = (flags & DeviceModifyFlags.CONFIG) != 0;
        if (!live && !config) {
            live = active;
            config = !active;
        }
        if (live && !active) {
            throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
        }
        if (config && !dom.isPersistent()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "transient domains do not have any persistent config");
        }
        return new DeviceImpact(live, config);
    }
}

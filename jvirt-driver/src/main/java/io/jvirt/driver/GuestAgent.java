package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;

/**
 * The calls that need a QEMU guest agent (domtime, domhostname, qemu-agent-command): jvirt configures no agent
 * channel, so a running domain answers as a libvirt domain without {@code org.qemu.guest_agent.0} does.
 */
final class GuestAgent {
    private GuestAgent() {}

    static VirtException unavailable(DomainObj dom) {
        dom.requireRun();
        return VirtException.of(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, "QEMU guest agent is not configured");
    }
}

package io.jvirt.driver;

import io.jvirt.api.DailyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.VcpuDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;

/**
 * {@code virDomainSetVcpusFlags} and {@code virDomainGetVcpusFlags}. jvirt models one vCPU count per definition
 * ({@code <vcpu>N</vcpu>}: maximum and current alike) and starts QEMU with no room for hot-plug, so: the configuration
 * takes a new count, with or without {@link DailyFlags#VCPU_MAXIMUM}, that then is both; a running domain keeps
 * its count, and asking for more (or fewer) gets libvirt's errors for a domain whose vCPUs cannot be plugged.
 *
 * <p>Threading: the caller's thread.
 */
final class VcpuChange {
    private VcpuChange() {}

    static void set(DriverContext ctx, DomainObj dom, int count, int flags) {
        int known = DailyFlags.LIVE
                | DailyFlags.CONFIG
                | DailyFlags.VCPU_MAXIMUM
                | DailyFlags.VCPU_GUEST
                | DailyFlags.VCPU_HOTPLUGGABLE;
        checkFlags(flags, known, "qemuDomainSetVcpusFlags");
        if ((flags & DailyFlags.VCPU_GUEST) != 0) {
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, "QEMU guest agent is not configured");
        }
        if (count < 1) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.NONE, "nvcpus in virDomainSetVcpusFlags must not be zero");
        }
        try (DomainObj.Job _ = dom.beginJob("setvcpus", DomainLifecycle.JOB_WAIT_MILLIS)) {
            DefinitionChange where = DefinitionChange.of(dom, flags);
            boolean maximum = (flags & DailyFlags.VCPU_MAXIMUM) != 0;
            if (where.live()) {
                DomainDef live = dom.liveDef();
                if (maximum) {
                    throw VirtException.of(
                            ErrorCode.INVALID_ARG,
                            ErrorDomain.QEMU,
                            "maximum vcpu count of a running domain can't be modified");
                }
                if (count > live.vcpus()) {
                    throw VirtException.of(
                            ErrorCode.INVALID_ARG,
                            ErrorDomain.QEMU,
                            "requested vcpus is greater than max allowable vcpus for the live domain: " + count + " > "
                                    + live.vcpus());
                }
                if (count < live.vcpus()) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_INVALID,
                            ErrorDomain.QEMU,
                            "vcpu '" + (live.vcpus() - 1) + "' is not hotpluggable");
                }
            }
            if (where.config()) {
                DomainDef def = dom.persistentDef();
                if (!maximum && count > def.vcpus()) {
                    throw VirtException.of(
                            ErrorCode.INVALID_ARG,
                            ErrorDomain.QEMU,
                            "requested vcpus is greater than max allowable vcpus for the persistent domain: " + count
                                    + " > " + def.vcpus());
                }
                DefinitionChange.saveConfig(
                        ctx, dom, d -> d.withVcpu(new VcpuDef(count, d.vcpu().placement())));
            }
        }
    }

    /** The count of the live domain or the configuration ("current": live when running); maximum or current alike. */
    static int get(DomainObj dom, int flags) {
        checkFlags(
                flags,
                DailyFlags.LIVE | DailyFlags.CONFIG | DailyFlags.VCPU_MAXIMUM | DailyFlags.VCPU_GUEST,
                "qemuDomainGetVcpusFlags");
        if ((flags & DailyFlags.LIVE) != 0 && (flags & DailyFlags.CONFIG) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        if ((flags & DailyFlags.VCPU_GUEST) != 0) {
            if (!dom.isActive()) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
            }
            throw VirtException.of(
                    ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, "QEMU guest agent is not configured");
        }
        boolean live = (flags & DailyFlags.LIVE) != 0 || (flags & DailyFlags.CONFIG) == 0 && dom.isActive();
        if (live) {
            if (!dom.isActive()) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
            }
            return dom.liveDef().vcpus();
        }
        DomainDef def = dom.persistentDef();
        if (def == null) {
            throw VirtException.of(
                    ErrorCode.OPERATION_INVALID,
                    ErrorDomain.QEMU,
                    "transient domains do not have any persistent config");
        }
        return def.vcpus();
    }

    private static void checkFlags(int flags, int known, String function) {
        if ((flags & ~known) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function " + function);
        }
    }
}

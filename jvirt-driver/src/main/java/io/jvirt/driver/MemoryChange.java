package io.jvirt.driver;

import io.jvirt.api.DailyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.MemballoonDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import java.util.Map;

/**
 * {@code virDomainSetMemoryFlags}: the current memory through the balloon (QMP {@code balloon}) and/or in the
 * configuration; with {@link DailyFlags#MEM_MAXIMUM} the maximum, in the configuration only (an active domain's
 * maximum is fixed, as in libvirt).
 *
 * <p>Threading: the caller's thread.
 */
final class MemoryChange {
    private MemoryChange() {}

    static void set(DriverContext ctx, DomainObj dom, long kib, int flags) {
        int known = DailyFlags.LIVE | DailyFlags.CONFIG | DailyFlags.MEM_MAXIMUM;
        if ((flags & ~known) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainSetMemoryFlags");
        }
        try (DomainObj.Job _ = dom.beginJob("setmem", DomainLifecycle.JOB_WAIT_MILLIS)) {
            DefinitionChange where = DefinitionChange.of(dom, flags);
            if ((flags & DailyFlags.MEM_MAXIMUM) != 0) {
                if (where.live()) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_INVALID,
                            ErrorDomain.QEMU,
                            "cannot resize the maximum memory on an active domain");
                }
                DefinitionChange.saveConfig(
                        ctx, dom, def -> def.withMemory(kib, Math.min(def.currentMemoryKiB(), kib)));
                return;
            }
            if (where.live()) {
                DomainDef live = dom.liveDef();
                requireBelowMax(live, kib);
                boolean balloon = live.memballoon()
                        .map(MemballoonDef::model)
                        .orElse("none")
                        .equals("virtio");
                if (!balloon) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_INVALID,
                            ErrorDomain.QEMU,
                            "Unable to change memory of active domain without the balloon device and guest OS "
                                    + "balloon driver");
                }
                long bytes = kib * 1024;
                LiveCalls.call(dom, m -> m.execute("balloon", Map.of("value", bytes)));
                DefinitionChange.saveLive(ctx, dom, def -> def.withMemory(def.memoryKiB(), kib));
            }
            if (where.config()) {
                requireBelowMax(dom.persistentDef(), kib);
                DefinitionChange.saveConfig(ctx, dom, def -> def.withMemory(def.memoryKiB(), kib));
            }
        }
    }

    private static void requireBelowMax(DomainDef def, long kib) {
        if (kib > def.memoryKiB()) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "cannot set memory higher than max memory");
        }
    }
}

package io.jvirt.driver;

import io.jvirt.api.DailyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DriverContext;
import java.util.function.UnaryOperator;

/**
 * Where a change of the everyday calls lands ({@code virDomainModificationImpact}): the live domain, the persistent
 * configuration, or both; "current" meaning live when running, else the configuration. Refused as libvirt refuses
 * it: live on an inactive domain, configuration on a transient one. A configuration change is written to the root
 * before it is kept in memory; a live one goes into the status file.
 *
 * <p>Threading: the caller's thread, which holds the domain's job.
 */
record DefinitionChange(boolean live, boolean config) {

    static DefinitionChange of(DomainObj dom, int flags) {
        boolean active = dom.isActive();
        boolean live = (flags & DailyFlags.LIVE) != 0;
        boolean config = (flags & DailyFlags.CONFIG) != 0;
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
                    "cannot change persistent config of a transient domain");
        }
        return new DefinitionChange(live, config);
    }

    /** Applies {@code change} to the persistent definition and saves it. */
    static void saveConfig(DriverContext ctx, DomainObj dom, UnaryOperator<DomainDef> change) {
        dom.withLock(() -> {
            DomainDef def = change.apply(dom.persistentDef());
            ctx.store().saveConfig(def);
            dom.setPersistentDef(def);
        });
    }

    /** Applies {@code change} to the live definition and records it in the status file. */
    static void saveLive(DriverContext ctx, DomainObj dom, UnaryOperator<DomainDef> change) {
        dom.withLock(() -> {
            if (dom.run() != null && dom.setLiveDefIf(dom.run(), change.apply(dom.liveDef()))) {
                ctx.saveStatus(dom);
            }
        });
    }
}

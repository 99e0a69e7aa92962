package io.jvirt.driver;

import io.jvirt.api.DailyFlags;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.device.DeviceImpact;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DriverContext;
import java.util.function.UnaryOperator;

/**
 * Where a change of the everyday calls lands ({@code virDomainModificationImpact}): the live domain, the persistent
 * configuration, or both; "current" meaning live when running, else the configuration. Refused as libvirt refuses
 * it ({@link DeviceImpact}): live on an inactive domain, configuration on a transient one. A configuration change is written to the root
 * before it is kept in memory; a live one goes into the status file.
 *
 * <p>Threading: the caller's thread, which holds the domain's job.
 */
record DefinitionChange(boolean live, boolean config) {

    /** Resolves {@code flags}, whose other bits the caller has checked, for {@code dom} as it is now. */
    static DefinitionChange of(DomainObj dom, int flags) {
        DeviceImpact impact = DeviceImpact.resolve(dom, flags, flags | DailyFlags.LIVE | DailyFlags.CONFIG, "");
        return new DefinitionChange(impact.live(), impact.config());
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

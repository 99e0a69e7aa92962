package io.jvirt.driver.device;

import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceXml;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DeviceRemoval;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import java.util.function.Function;

/**
 * {@code virDomainDetachDeviceFlags} and {@code virDomainDetachDeviceAlias}: removes a disk (named by target) or
 * an interface (named by MAC), or any of them by alias, from the persistent definition and/or the running guest.
 * A live unplug waits a few seconds for the guest; if it takes longer the call still succeeds and the device
 * leaves the live definition when QEMU reports it (DEVICE_REMOVED), as with libvirt.
 *
 * <p>Threading: the caller's thread, holding the domain's job for the whole change.
 */
public final class DeviceDetach {
    private static final int FLAGS = DeviceModifyFlags.LIVE | DeviceModifyFlags.CONFIG;

    private final DriverContext ctx;
    private final LiveDevicePlug plug;

    public DeviceDetach(DriverContext ctx) {
        this.ctx = ctx;
        this.plug = new LiveDevicePlug(new DeviceRemoval(ctx));
    }

    public void detach(DomainObj dom, String xml, int flags) {
        DeviceDef device = DeviceXml.parse(xml);
        run(dom, flags, "qemuDomainDetachDeviceFlags", def -> configMatch(def, device), def -> liveMatch(def, device));
    }

    public void detachAlias(DomainObj dom, String alias, int flags) {
        Function<DomainDef, DeviceDef> byAlias = def -> {
            DeviceDef d = DefinitionDevices.byAlias(def, alias);
            if (d == null) {
                throw VirtException.of(
                        ErrorCode.DEVICE_MISSING, ErrorDomain.QEMU, "no device found with alias " + alias);
            }
            return d;
        };
        run(
                dom,
                flags,
                "qemuDomainDetachDeviceAlias",
                def -> supported(byAlias.apply(def), "persistent"),
                def -> supported(byAlias.apply(def), "live"));
    }

    private void run(
            DomainObj dom,
            int flags,
            String api,
            Function<DomainDef, DeviceDef> inConfig,
            Function<DomainDef, DeviceDef> inLive) {
        try (DomainObj.Job _ = dom.beginJob("detach device", DomainLifecycle.JOB_WAIT_MILLIS)) {
            DeviceImpact impact = DeviceImpact.resolve(dom, flags, FLAGS, api);
            DomainDef config = null;
            if (impact.config()) {
                DomainDef persistent = dom.persistentDef();
                config = DefinitionDevices.remove(persistent, inConfig.apply(persistent));
            }
            if (impact.live()) {
                plug.detach(dom, dom.requireRun(), inLive.apply(dom.liveDef()));
            }
            if (config != null) {
                DomainDef saved = config;
                dom.withLock(() -> {
                    ctx.store().saveConfig(saved);
                    dom.setPersistentDef(saved);
                });
            }
        }
    }

    /** The persistent definition's device that {@code device} names, with libvirt's errors. */
    static DeviceDef configMatch(DomainDef def, DeviceDef device) {
        return switch (device) {
            case DiskDef disk -> {
                DiskDef d = DefinitionDevices.disk(def, disk.targetDev());
                if (d == null) {
                    throw VirtException.of(
                            ErrorCode.DEVICE_MISSING, ErrorDomain.QEMU, "no target device " + disk.targetDev());
                }
                yield d;
            }
            case InterfaceDef nic -> DefinitionDevices.interfaceMatching(def, nic);
            default ->
                throw DeviceAttach.unsupported(
                        "persistent detach of device '" + DeviceXml.kind(device) + "' is not supported");
        };
    }

    /** The live definition's device that {@code device} names, with libvirt's errors. */
    static DeviceDef liveMatch(DomainDef def, DeviceDef device) {
        return switch (device) {
            case DiskDef disk -> {
                DiskDef d = DefinitionDevices.disk(def, disk.targetDev());
                if (d == null) {
                    throw VirtException.of(
                            ErrorCode.DEVICE_MISSING, ErrorDomain.QEMU, "disk " + disk.targetDev() + " not found");
                }
                yield d;
            }
            case InterfaceDef nic -> DefinitionDevices.interfaceMatching(def, nic);
            default ->
                throw DeviceAttach.unsupported(
                        "live detach of device '" + DeviceXml.kind(device) + "' is not supported");
        };
    }

    private static DeviceDef supported(DeviceDef d, String which) {
        if (d instanceof DiskDef || d instanceof InterfaceDef) {
            return d;
        }
        throw DeviceAttach.unsupported(which + " detach of device '" + DeviceXml.kind(d) + "' is not supported");
    }

    /** {@code virDomainUpdateDeviceFlags}: jvirt changes no device in place; refused as libvirt refuses a kind. */
    public static void update(DomainObj dom, String xml, int flags) {
        DeviceDef device = DeviceXml.parse(xml);
        DeviceImpact impact =
                DeviceImpact.resolve(dom, flags, FLAGS | DeviceModifyFlags.FORCE, "qemuDomainUpdateDeviceFlags");
        throw DeviceAttach.unsupported((impact.live() ? "live" : "persistent") + " update of device '"
                + DeviceXml.kind(device) + "' is not supported");
    }
}

package io.jvirt.driver.device;

import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceXml;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.lifecycle.DeviceRemoval;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;

/**
 * {@code virDomainAttachDeviceFlags}: adds a disk or an interface to the persistent definition (CONFIG) and/or
 * plugs it into the running guest (LIVE). The persistent change is checked before the guest is touched and written
 * after the live part succeeded, so a failed hot-plug leaves the configuration as it was.
 *
 * <p>Threading: the caller's thread, holding the domain's job for the whole change.
 */
public final class DeviceAttach {
    private static final int FLAGS = DeviceModifyFlags.LIVE | DeviceModifyFlags.CONFIG;

    private final DriverContext ctx;
    private final LiveDevicePlug plug;

    public DeviceAttach(DriverContext ctx) {
        this.ctx = ctx;
        this.plug = new LiveDevicePlug(new DeviceRemoval(ctx));
    }

    public void attach(DomainObj dom, String xml, int flags) {
        DeviceDef device = DeviceXml.parse(xml);
        try (DomainObj.Job _ = dom.beginJob("attach device", DomainLifecycle.JOB_WAIT_MILLIS)) {
            DeviceImpact impact = DeviceImpact.resolve(dom, flags, FLAGS, "qemuDomainAttachDeviceFlags");
            DomainDef config = impact.config() ? configWith(dom.persistentDef(), device) : null;
            if (impact.live()) {
                attachLive(dom, device);
            }
            if (config != null) {
                dom.withLock(() -> {
                    ctx.store().saveConfig(config);
                    dom.setPersistentDef(config);
                });
            }
        }
    }

    /** The persistent definition with {@code device} added; aliases other than user ones ({@code ua-}) are live-only. */
    static DomainDef configWith(DomainDef def, DeviceDef device) {
        DeviceDef d = device.info().hasUserAlias()
                ? device
                : device.withInfo(device.info().withAlias(null));
        switch (d) {
            case DiskDef disk -> {
                if (DefinitionDevices.disk(def, disk.targetDev()) != null) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_INVALID,
                            ErrorDomain.QEMU,
                            "target " + disk.targetDev() + " already exists");
                }
            }
            case InterfaceDef _ -> {
                // libvirt lets a domain have two interfaces with one MAC; only detaching by that MAC is refused
            }
            default -> throw unsupported("persistent attach of device '" + DeviceXml.kind(d) + "' is not supported");
        }
        return DefinitionDevices.insert(def, d);
    }

    private void attachLive(DomainObj dom, DeviceDef device) {
        QemuRun run = dom.requireRun();
        DomainDef live = dom.liveDef();
        DeviceDef plugged = switch (device) {
            case DiskDef disk -> {
                if (DefinitionDevices.disk(live, disk.targetDev()) != null) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.QEMU,
                            "target " + disk.targetDev() + " already exists");
                }
                DiskDef d = withAlias(disk, LiveDevicePlug.diskAlias(disk));
                plug.attachDisk(dom, run, d);
                yield d;
            }
            case InterfaceDef nic -> {
                InterfaceDef n = withAlias(nic, LiveDevicePlug.nextNetAlias(live));
                plug.attachInterface(dom, run, n);
                yield n;
            }
            default -> throw unsupported("live attach of device '" + DeviceXml.kind(device) + "' is not supported");
        };
        boolean recorded = dom.withLock(() -> {
            DomainDef now = dom.liveDef();
            if (now == null || !dom.setLiveDefIf(run, DefinitionDevices.insert(now, plugged))) {
                return false;
            }
            ctx.saveStatus(dom);
            return true;
        });
        if (recorded) {
            ctx.events().emit(new DomainEvent.DeviceAdded(dom.ref(), plugged.alias()));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends DeviceDef> T withAlias(T device, String alias) {
        return device.info().hasUserAlias()
                ? device
                : (T) device.withInfo(device.info().withAlias(alias));
    }

    static VirtException unsupported(String detail) {
        return VirtException.of(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, detail);
    }
}

package io.jvirt.driver.device;

import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.ControllerDef;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DeviceInfo;
import io.jvirt.config.DeviceXml;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.process.DiskChains;
import io.jvirt.driver.process.LiveDefinition;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.PciAddresses;
import io.jvirt.driver.security.DomainLabels;
import java.util.List;

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

    public DeviceAttach(DriverContext ctx) {
        this.ctx = ctx;
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
        DomainDef out = DefinitionDevices.insert(def, d);
        // A SCSI disk needs its controller; the definition gains one, as libvirt's post-parse adds it.
        ControllerDef controller = d instanceof DiskDef disk ? LiveDiskPlug.missingController(def, disk) : null;
        return controller == null ? out : DefinitionDevices.insert(out, controller.withInfo(DeviceInfo.NONE));
    }

    private void attachLive(DomainObj dom, DeviceDef device) {
        QemuRun run = dom.requireRun();
        DomainDef live = dom.liveDef();
        List<DeviceDef> plugged = switch (device) {
            case DiskDef disk -> {
                if (DefinitionDevices.disk(live, disk.targetDev()) != null) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.QEMU,
                            "target " + disk.targetDev() + " already exists");
                }
                DiskDef d = DiskChains.detect(withAlias(disk, LiveDefinition.diskAlias(disk)), live, ctx.settings());
                DomainLabels labels = DomainLabels.of(ctx.root(), ctx.settings());
                labels.labelDisk(dom.name(), d);
                try {
                    yield LiveDiskPlug.attach(dom.name(), run.monitor(), live, d);
                } catch (RuntimeException e) {
                    labels.restoreDisk(dom.name(), d, live); // the plug failed: QEMU never got the images
                    throw e;
                }
            }
            case InterfaceDef nic -> {
                InterfaceDef n = withAlias(nic, LiveDevicePlug.nextNetAlias(live));
                yield List.of(LiveNicPlug.attach(dom.name(), run.monitor(), live, n));
            }
            default -> throw unsupported("live attach of device '" + DeviceXml.kind(device) + "' is not supported");
        };
        DomainDef grown = live;
        for (DeviceDef d : plugged) {
            grown = DefinitionDevices.insert(grown, d);
        }
        DomainDef withSlots = slotsOf(dom, run, grown);
        List<DeviceDef> placed = plugged.stream()
                .map(d -> DefinitionDevices.byAlias(withSlots, d.alias()))
                .toList();
        boolean recorded = dom.withLock(() -> {
            DomainDef now = dom.liveDef();
            if (now == null) {
                return false;
            }
            for (DeviceDef d : placed) {
                now = DefinitionDevices.insert(now, d);
            }
            if (!dom.setLiveDefIf(run, now)) {
                return false;
            }
            ctx.saveStatus(dom);
            return true;
        });
        if (recorded) {
            for (DeviceDef d : plugged) {
                ctx.events().emit(new DomainEvent.DeviceAdded(dom.ref(), d.alias()));
            }
        }
    }

    /** {@code def} with the PCI slots QEMU gave the new devices: a migration must put them there too. */
    private static DomainDef slotsOf(DomainObj dom, QemuRun run, DomainDef def) {
        return MonitorCalls.call(dom.name(), () -> PciAddresses.fill(def, run.monitor()));
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

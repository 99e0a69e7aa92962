package io.jvirt.driver.device;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.GraphicsDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.MemballoonDef;
import io.jvirt.config.VideoDef;
import java.util.ArrayList;
import java.util.List;

/**
 * Finding, adding and removing a device in a domain definition (persistent or live) with libvirt's rules and
 * errors: a disk is named by its target, an interface by its MAC, any device by its alias. Pure functions on
 * immutable definitions; any thread.
 */
final class DefinitionDevices {
    private DefinitionDevices() {}

    /** The disk with target {@code dev}, or null. */
    static DiskDef disk(DomainDef def, String dev) {
        for (DiskDef d : def.disks()) {
            if (d.targetDev().equals(dev)) {
                return d;
            }
        }
        return null;
    }

    /** The device with alias {@code alias}, or null. */
    static DeviceDef byAlias(DomainDef def, String alias) {
        for (DeviceDef d : def.devices()) {
            if (alias.equals(d.alias())) {
                return d;
            }
        }
        return null;
    }

    /**
     * The one interface with {@code nic}'s MAC; libvirt's errors when there is none or more than one (a domain may
     * have two interfaces with one MAC, and then a MAC cannot say which to remove).
     */
    static InterfaceDef interfaceMatching(DomainDef def, InterfaceDef nic) {
        List<InterfaceDef> found =
                def.interfaces().stream().filter(n -> n.mac().equals(nic.mac())).toList();
        if (found.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.DEVICE_MISSING,
                    ErrorDomain.DOMAIN,
                    "no device matching MAC address " + nic.mac() + " found");
        }
        if (found.size() > 1) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.DOMAIN,
                    "multiple devices matching MAC address " + nic.mac() + " found");
        }
        return found.getFirst();
    }

    /**
     * {@code def} with {@code device} added where libvirt keeps its kind: after the last device of the same kind,
     * else disks first and interfaces before the character, graphics, video and balloon devices.
     */
    static DomainDef insert(DomainDef def, DeviceDef device) {
        List<DeviceDef> devices = new ArrayList<>(def.devices());
        int at = -1;
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i).getClass() == device.getClass()) {
                at = i + 1;
            }
        }
        if (at < 0) {
            at = device instanceof DiskDef ? 0 : firstLaterKind(devices);
        }
        devices.add(at, device);
        return def.withDevices(devices);
    }

    /** {@code def} without {@code device} (the same record instance). */
    static DomainDef remove(DomainDef def, DeviceDef device) {
        List<DeviceDef> devices = new ArrayList<>(def.devices());
        devices.remove(device);
        return def.withDevices(devices);
    }

    private static int firstLaterKind(List<DeviceDef> devices) {
        for (int i = 0; i < devices.size(); i++) {
            DeviceDef d = devices.get(i);
            if (d instanceof CharDeviceDef
                    || d instanceof GraphicsDef
                    || d instanceof VideoDef
                    || d instanceof MemballoonDef) {
                return i;
            }
        }
        return devices.size();
    }
}

package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.CharDeviceKind;
import io.jvirt.config.ControllerDef;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskNames;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DriveAddress;
import io.jvirt.config.GraphicsDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.MemballoonDef;
import io.jvirt.config.UsbControllerDef;
import io.jvirt.config.VideoDef;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the live definition of a domain being started: its id, an alias on every device (as libvirt names them:
 * {@code virtio-disk0}, {@code serial0}, {@code net0}, {@code video0}, {@code balloon0}), and real ports for
 * graphics that asked for {@code autoport}. The live XML shows all of these; QEMU's argv names devices by them.
 */
public final class LiveDefinition {
    private LiveDefinition() {}

    public static DomainDef prepare(DomainDef def, int id, DisplayPorts ports) {
        List<DeviceDef> devices = new ArrayList<>();
        int serial = 0;
        int nic = 0;
        int video = 0;
        for (DeviceDef d : def.devices()) {
            DeviceDef live = switch (d) {
                case DiskDef disk -> alias(disk, diskAlias(disk));
                case ControllerDef c -> alias(c, c.type() + c.index());
                case UsbControllerDef u -> alias(u, UsbCommandLine.alias(u));
                case CharDeviceDef c when c.kind() == CharDeviceKind.SERIAL -> alias(c, "serial" + serial++);
                case CharDeviceDef c -> alias(c, "serial0"); // a serial console is serial port 0
                case InterfaceDef n -> alias(n, "net" + nic++);
                case VideoDef v -> alias(v, "video" + video++);
                case MemballoonDef b -> alias(b, "balloon0");
                case GraphicsDef g -> assignPorts(g, ports);
                default -> d;
            };
            devices.add(live);
        }
        return def.withId(id).withDevices(devices);
    }

    private static DeviceDef alias(DeviceDef d, String alias) {
        return d.info().alias() != null ? d : d.withInfo(d.info().withAlias(alias));
    }

    /** libvirt's alias of a disk: virtio by target index ({@code vdc} is {@code virtio-disk2}), others by address. */
    public static String diskAlias(DiskDef disk) {
        DriveAddress a = DriveAddress.of(disk.info());
        return switch (disk.bus()) {
            case VIRTIO -> "virtio-disk" + Math.max(0, DiskNames.index(disk.targetDev()));
            case SATA -> "sata" + a.controller() + "-" + a.bus() + "-" + a.unit();
            case IDE -> "ide" + a.controller() + "-" + a.bus() + "-" + a.unit();
            case SCSI -> "scsi" + a.controller() + "-" + a.bus() + "-" + a.target() + "-" + a.unit();
        };
    }

    private static GraphicsDef assignPorts(GraphicsDef g, DisplayPorts ports) {
        Integer port = g.port();
        if (g.autoport() || port == null || port < 0) {
            port = ports.reserve(g.listenAddress());
        } else if (port < 5900) {
            throw VirtException.of(
                    ErrorCode.CONFIG_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    g.type().xml() + " port " + port + " is below 5900, the first display port");
        }
        Integer tls = g.tlsPort();
        if (tls != null && tls < 0) {
            tls = ports.reserve(g.listenAddress());
        }
        return g.withPorts(port, tls);
    }

    /** The display ports a live definition uses, to give back when the domain stops. */
    public static List<Integer> displayPorts(DomainDef live) {
        List<Integer> ports = new ArrayList<>();
        for (GraphicsDef g : live.graphics()) {
            if (g.port() != null && g.port() > 0) {
                ports.add(g.port());
            }
            if (g.tlsPort() != null && g.tlsPort() > 0) {
                ports.add(g.tlsPort());
            }
        }
        return ports;
    }
}

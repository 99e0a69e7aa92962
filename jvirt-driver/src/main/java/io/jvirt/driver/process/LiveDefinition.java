package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.CharDeviceKind;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.GraphicsDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.MemballoonDef;
import io.jvirt.config.VideoDef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes the live definition of a domain being started: its id, an alias on every device (as libvirt names them:
 * {@code virtio-disk0}, {@code serial0}, {@code net0}, {@code video0}, {@code balloon0}), and real ports for
 * graphics that asked for {@code autoport}. The live XML shows all of these; QEMU's argv names devices by them.
 */
public final class LiveDefinition {
    private static final int FIRST_DISPLAY_PORT = 5900;
    private static final int LAST_DISPLAY_PORT = 65535;

    private LiveDefinition() {
    }

    public static DomainDef prepare(DomainDef def, int id) {
        List<DeviceDef> devices = new ArrayList<>();
        int serial = 0;
        int nic = 0;
        int video = 0;
        Set<Integer> taken = new HashSet<>();
        for (DeviceDef d : def.devices()) {
            DeviceDef live = switch (d) {
                case DiskDef disk -> alias(disk, diskAlias(disk));
                case CharDeviceDef c when c.kind() == CharDeviceKind.SERIAL -> alias(c, "serial" + serial++);
                case CharDeviceDef c -> alias(c, "serial0"); // a serial console is serial port 0
                case InterfaceDef n -> alias(n, "net" + nic++);
                case VideoDef v -> alias(v, "video" + video++);
                case MemballoonDef b -> alias(b, "balloon0");
                case GraphicsDef g -> assignPorts(g, taken);
                default -> d;
            };
            devices.add(live);
        }
        return def.withId(id).withDevices(devices);
    }

    private static DeviceDef alias(DeviceDef d, String alias) {
        return d.info().alias() != null ? d : d.withInfo(d.info().withAlias(alias));
    }

    private static String diskAlias(DiskDef disk) {
        int unit = QemuCommandLine.unit(disk.targetDev());
        return switch (disk.bus()) {
            case VIRTIO -> "virtio-disk" + unit;
            case SATA -> "sata0-0-" + unit;
            case IDE -> "ide0-" + unit / 2 + "-" + unit % 2;
            case SCSI -> "scsi0-0-0-" + unit;
        };
    }

    private static GraphicsDef assignPorts(GraphicsDef g, Set<Integer> taken) {
        Integer port = g.port();
        if (g.autoport() || port == null || port < 0) {
            port = freePort(g.listenAddress(), taken);
        }
        taken.add(port);
        Integer tls = g.tlsPort();
        if (tls != null && tls < 0) {
            tls = freePort(g.listenAddress(), taken);
            taken.add(tls);
        }
        return g.withPorts(port, tls);
    }

    /**
     * The first display port from 5900 on that nobody listens on: two hosts on one machine share the range, so a
     * port is tried by binding it, not by remembering what we handed out.
     */
    private static int freePort(String listen, Set<Integer> taken) {
        for (int port = FIRST_DISPLAY_PORT; port <= LAST_DISPLAY_PORT; port++) {
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName(listen == null ? "127.0.0.1" : listen), port));
                return port;
            } catch (IOException busy) {
                // taken: try the next one
            }
        }
        throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "no free display port between "
                + FIRST_DISPLAY_PORT + " and " + LAST_DISPLAY_PORT);
    }
}

package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.InterfaceType;
import io.jvirt.qmp.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One guest NIC for QEMU, as libvirt 11 describes it: a tap backend naming the fds jvirt passed
 * ({@code {"type":"tap","fd":"N","vhost":true,"vhostfd":"M","id":"hostnet0"}}), a user backend, and the NIC's device
 * ({@code host_mtu} for virtio with an {@code <mtu>}, its PCI slot when known). The same property maps serve the
 * command line (JSON {@code -netdev}/{@code -device}, fds by number) and hot-plug ({@code netdev_add} and
 * {@code device_add}, fds by the names given with {@code getfd}). A link that starts down is set down over QMP before
 * the guest runs, as libvirt does, so it is not on the command line. Pure.
 */
public final class NetCommandLine {
    private NetCommandLine() {}

    /** Appends the NIC's {@code -netdev} and {@code -device}; {@code fds} is null for a user NIC. */
    public static void add(List<String> a, InterfaceDef nic, NetFds fds, String machine) {
        if (nic.type() == InterfaceType.USER) {
            a.add("-netdev");
            a.add("user,id=" + netdevId(nic));
        } else {
            if (fds == null) {
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.QEMU,
                        "no tap was opened for interface " + nic.alias() + " (type '"
                                + nic.type().xml() + "')");
            }
            a.add("-netdev");
            a.add(JsonText.write(tapNetdev(
                    nic,
                    Integer.toString(fds.tapFd()),
                    fds.vhostFd() == null ? null : Integer.toString(fds.vhostFd()))));
        }
        a.add("-device");
        a.add(JsonText.write(device(nic, machine)));
    }

    /** The id of the NIC's backend: {@code host} and its alias ({@code hostnet0}). */
    public static String netdevId(InterfaceDef nic) {
        return "host" + nic.alias();
    }

    /**
     * A tap backend's properties: {@code tapFd} and {@code vhostFd} (null for none) are fd numbers on the command
     * line or names passed with {@code getfd} for {@code netdev_add}.
     */
    public static Map<String, Object> tapNetdev(InterfaceDef nic, String tapFd, String vhostFd) {
        Map<String, Object> tap = new LinkedHashMap<>();
        tap.put("type", "tap");
        tap.put("fd", tapFd);
        if (vhostFd != null) {
            tap.put("vhost", true);
            tap.put("vhostfd", vhostFd);
        }
        tap.put("id", netdevId(nic));
        return tap;
    }

    /** A user-mode backend's properties, for {@code netdev_add}. */
    public static Map<String, Object> userNetdev(InterfaceDef nic) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("type", "user");
        user.put("id", netdevId(nic));
        return user;
    }

    /** The NIC's device properties, in libvirt's key order. */
    public static Map<String, Object> device(InterfaceDef nic, String machine) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("driver", driver(nic));
        if (nic.isVirtio() && nic.mtu() != null) {
            device.put("host_mtu", nic.mtu());
        }
        device.put("netdev", netdevId(nic));
        device.put("id", nic.alias());
        device.put("mac", nic.mac());
        device.putAll(PciAddresses.props(nic.info(), machine));
        return device;
    }

    /** QEMU's device for the model: virtio-net-pci for virtio (and no model), else the model's own name. */
    static String driver(InterfaceDef nic) {
        return nic.isVirtio() ? "virtio-net-pci" : nic.modelType();
    }
}

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
 * QEMU's argv for one guest NIC, as libvirt 11 writes it: a tap backend as JSON {@code -netdev} naming the fds
 * jvirt passed ({@code {"type":"tap","fd":"N","vhost":true,"vhostfd":"M","id":"hostnet0"}}), a user backend as
 * {@code -netdev user,id=…}, and the NIC as JSON {@code -device} ({@code host_mtu} for virtio with an
 * {@code <mtu>}). A link that starts down is set down over QMP before the guest runs, as libvirt does, so it is
 * not on the command line. Pure.
 */
public final class NetCommandLine {
    private NetCommandLine() {}

    /** Appends the NIC's {@code -netdev} and {@code -device}; {@code fds} is null for a user NIC. */
    public static void add(List<String> a, InterfaceDef nic, NetFds fds) {
        String netdev = "host" + nic.alias();
        if (nic.type() == InterfaceType.USER) {
            a.add("-netdev");
            a.add("user,id=" + netdev);
        } else {
            if (fds == null) {
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.QEMU,
                        "no tap was opened for interface " + nic.alias() + " (type '"
                                + nic.type().xml() + "')");
            }
            Map<String, Object> tap = new LinkedHashMap<>();
            tap.put("type", "tap");
            tap.put("fd", Integer.toString(fds.tapFd()));
            if (fds.vhostFd() != null) {
                tap.put("vhost", true);
                tap.put("vhostfd", Integer.toString(fds.vhostFd()));
            }
            tap.put("id", netdev);
            a.add("-netdev");
            a.add(JsonText.write(tap));
        }
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("driver", driver(nic));
        if (nic.isVirtio() && nic.mtu() != null) {
            device.put("host_mtu", nic.mtu());
        }
        device.put("netdev", netdev);
        device.put("id", nic.alias());
        device.put("mac", nic.mac());
        a.add("-device");
        a.add(JsonText.write(device));
    }

    /** QEMU's device for the model: virtio-net-pci for virtio (and no model), else the model's own name. */
    static String driver(InterfaceDef nic) {
        return nic.isVirtio() ? "virtio-net-pci" : nic.modelType();
    }
}

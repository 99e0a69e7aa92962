package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainType;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.InterfaceType;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.NetDevices;
import io.jvirt.nativeio.Tap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The taps of a domain being started, made as libvirt makes them: for {@code type='bridge'} a new tap (the given
 * name, or one the kernel picks from {@code vnet%d}) with the guest's MAC but 0xFE as first byte (so the bridge
 * never takes the guest's address as its own), the {@code <mtu>} or else the bridge's MTU, a port of the bridge,
 * up; for {@code type='ethernet'} the same without a bridge, or with {@code managed='no'} the existing tap opened
 * by name and left as it is. A vhost-net fd goes with each virtio NIC of a KVM guest when /dev/vhost-net exists.
 *
 * <p>{@link #close()} closes jvirt's fds: right after QEMU is spawned with its own copies, so a tap jvirt made
 * lives exactly as long as QEMU (the kernel removes it with the last fd), also across a jvirtd restart; or after
 * a failed start, which removes the taps at once. Runs on the starting caller's thread.
 */
public final class HostNics implements AutoCloseable {
    private static final String VHOST_NET = "/dev/vhost-net";
    private static final String TEMPLATE = InterfaceDef.GENERATED_PREFIX + "%d";

    private final List<HostNic> nics;

    private HostNics(List<HostNic> nics) {
        this.nics = nics;
    }

    /** Opens the taps of {@code live}'s tap-backed NICs; on a failure closes those already made and throws. */
    public static HostNics open(DomainDef live) {
        List<HostNic> made = new ArrayList<>();
        try {
            for (InterfaceDef nic : live.interfaces()) {
                if (nic.type() != InterfaceType.USER) {
                    made.add(open(nic, live.type() == DomainType.KVM));
                }
            }
            return new HostNics(made);
        } catch (RuntimeException e) {
            made.forEach(HostNic::close);
            throw e;
        }
    }

    /**
     * Opens the tap (and vhost-net fd) of one tap-backed NIC being hot-plugged into {@code live}'s guest, made as at
     * start; the caller passes the fds to QEMU and then closes the returned NIC.
     */
    public static HostNic openOne(DomainDef live, InterfaceDef nic) {
        return open(nic, live.type() == DomainType.KVM);
    }

    private static HostNic open(InterfaceDef nic, boolean kvm) {
        boolean vnetHeader = vnetHeader(nic);
        Tap tap = nic.unmanagedTap() ? openExisting(nic, vnetHeader) : create(nic, vnetHeader);
        try {
            if (!nic.unmanagedTap()) {
                configure(nic, tap.name());
            }
            int vhost = kvm && nic.isVirtio() ? openVhostNet() : -1;
            return new HostNic(nic.alias(), tap, vhost);
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /** libvirt enables IFF_VNET_HDR for the models whose QEMU backends use it. */
    private static boolean vnetHeader(InterfaceDef nic) {
        return nic.isVirtio() || "e1000e".equals(nic.modelType()) || "vmxnet3".equals(nic.modelType());
    }

    private static Tap openExisting(InterfaceDef nic, boolean vnetHeader) {
        String dev = nic.targetDev();
        if (dev == null) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "target dev must be supplied when managed='no'");
        }
        boolean exists;
        try {
            exists = NetDevices.exists(checkedName(dev));
        } catch (NativeIOException e) {
            throw system("Unable to get index for interface " + dev, e);
        }
        if (!exists) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "target managed='no' but specified dev doesn't exist (" + dev + ")");
        }
        return openTap(dev, vnetHeader);
    }

    private static Tap create(InterfaceDef nic, boolean vnetHeader) {
        if (nic.type() == InterfaceType.BRIDGE && mac(nic)[0] == (byte) 0xFE) {
            throw VirtException.of(
                    ErrorCode.CONFIG_UNSUPPORTED,
                    ErrorDomain.NONE,
                    "Unable to use MAC address starting with reserved value 0xFE - '" + nic.mac() + "' - ");
        }
        return openTap(nic.hasGeneratedTargetDev() ? TEMPLATE : checkedName(nic.targetDev()), vnetHeader);
    }

    private static Tap openTap(String name, boolean vnetHeader) {
        try {
            return Tap.open(name, vnetHeader);
        } catch (NativeIOException e) {
            if (e.call().startsWith("open")) {
                throw system("Unable to open /dev/net/tun, is tun module loaded?", e);
            }
            throw system("Unable to create tap device " + name, e);
        }
    }

    /** MAC (0xFE first, or 0xFA for a guest MAC that starts with 0xFE), MTU, bridge port, up, in libvirt's order. */
    private static void configure(InterfaceDef nic, String tap) {
        byte[] mac = mac(nic);
        mac[0] = mac[0] == (byte) 0xFE ? (byte) 0xFA : (byte) 0xFE;
        try {
            NetDevices.setMac(tap, mac);
        } catch (NativeIOException e) {
            throw system("Cannot set interface MAC to " + format(mac) + " on '" + tap + "'", e);
        }
        // The MTU goes first: a bridge adjusts its own MTU to a new port's.
        Integer mtu = nic.mtu();
        if (mtu == null && nic.type() == InterfaceType.BRIDGE) {
            try {
                mtu = NetDevices.mtu(nic.sourceBridge());
            } catch (NativeIOException e) {
                throw system("Cannot get interface MTU on '" + nic.sourceBridge() + "'", e);
            }
        }
        if (mtu != null) {
            try {
                NetDevices.setMtu(tap, mtu);
            } catch (NativeIOException e) {
                throw system("Cannot set interface MTU on '" + tap + "'", e);
            }
        }
        if (nic.type() == InterfaceType.BRIDGE) {
            try {
                NetDevices.addToBridge(checkedName(nic.sourceBridge()), tap);
            } catch (NativeIOException e) {
                throw system("Unable to add bridge " + nic.sourceBridge() + " port " + tap, e);
            }
        }
        try {
            NetDevices.setUp(tap);
        } catch (NativeIOException e) {
            throw system("Cannot set interface flags on '" + tap + "'", e);
        }
    }

    private static int openVhostNet() {
        if (!Files.exists(Path.of(VHOST_NET))) {
            return -1;
        }
        try {
            return NativeFds.openReadWrite(VHOST_NET);
        } catch (NativeIOException e) {
            return -1; // as libvirt: vhost-net is an optimisation unless the XML demands it
        }
    }

    private static String checkedName(String name) {
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.NONE,
                    "Network interface name '" + name + "' is too long: Numerical result out of range");
        }
        return name;
    }

    private static byte[] mac(InterfaceDef nic) {
        return java.util.HexFormat.ofDelimiter(":").parseHex(nic.mac());
    }

    private static String format(byte[] mac) {
        return java.util.HexFormat.ofDelimiter(":").formatHex(mac);
    }

    private static VirtException system(String what, NativeIOException e) {
        return VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE, what + ": " + e.reason(), e);
    }

    /** {@code live} with each tap-backed NIC's {@code <target dev>} set to the name its tap got. */
    public DomainDef named(DomainDef live) {
        Map<String, String> names = new HashMap<>();
        nics.forEach(n -> names.put(n.alias(), n.tap().name()));
        List<DeviceDef> devices = new ArrayList<>();
        for (DeviceDef d : live.devices()) {
            devices.add(
                    d instanceof InterfaceDef nic && names.containsKey(nic.alias())
                            ? nic.withTargetDev(names.get(nic.alias()))
                            : d);
        }
        return live.withDevices(devices);
    }

    /** Passes each NIC's fds to {@code passed}; returns the numbers QEMU will know them by, per NIC alias. */
    public Map<String, NetFds> pass(PassedFds passed) {
        Map<String, NetFds> out = new HashMap<>();
        for (HostNic nic : nics) {
            int tap = passed.pass(nic.tap().fd());
            Integer vhost = nic.vhostFd() >= 0 ? passed.pass(nic.vhostFd()) : null;
            out.put(nic.alias(), new NetFds(tap, vhost));
        }
        return out;
    }

    /** Idempotent: closes jvirt's copies of every fd. */
    @Override
    public void close() {
        nics.forEach(HostNic::close);
    }
}

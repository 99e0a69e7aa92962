package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A bridged virtio NIC of a test guest as {@link GuestXml} writes it: {@code <interface type='bridge'>} with its
 * MAC, the host bridge, optionally the tap's name ({@code <target dev>}), and model virtio. The guest configures
 * it as {@code eth0} when given an address ({@link GuestXml#ip}). A value; any thread.
 *
 * @param bridge the host bridge the tap joins
 * @param mac    the guest's MAC address, lower case
 * @param target the tap's name on the host, empty to let the host pick one
 */
public record GuestNic(String bridge, String mac, Optional<String> target) {
    // Linux interface names: at most 15 bytes, no '/' or white space; kept to a plain set here.
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public GuestNic {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(target, "target");
        mac = mac.toLowerCase(Locale.ROOT);
        if (!IFNAME.matcher(bridge).matches()) {
            throw invalid("bridge name must be 1-15 letters, digits, '.', '_' or '-': '" + bridge + "'");
        }
        if (!MAC.matcher(mac).matches() || (Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
            throw invalid("MAC address must be six hex pairs and unicast: '" + mac + "'");
        }
        if (target.isPresent() && !IFNAME.matcher(target.get()).matches()) {
            throw invalid("interface target must be 1-15 letters, digits, '.', '_' or '-': '" + target.get() + "'");
        }
    }

    /** A NIC on {@code bridge} with MAC {@code mac} and a tap name the host picks. */
    public static GuestNic bridge(String bridge, String mac) {
        return new GuestNic(bridge, mac, Optional.empty());
    }

    /**
     * A MAC in QEMU's 52:54:00 range derived from {@code name}, so one guest keeps its MAC across runs and two
     * guests of different names differ.
     */
    public static String macFor(String name) {
        int h = name.hashCode() * 0x9e3779b1;
        return String.format(Locale.ROOT, "52:54:00:%02x:%02x:%02x", (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff);
    }

    /** This NIC with its tap named {@code dev}. */
    public GuestNic target(String dev) {
        return new GuestNic(bridge, mac, Optional.of(dev));
    }

    String toXml() {
        return "    <interface type='bridge'>\n"
                + "      <mac address='" + mac + "'/>\n"
                + "      <source bridge='" + bridge + "'/>\n"
                + target.map(t -> "      <target dev='" + t + "'/>\n").orElse("")
                + "      <model type='virtio'/>\n"
                + "    </interface>\n";
    }

    private static VirtException invalid(String detail) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, detail);
    }
}

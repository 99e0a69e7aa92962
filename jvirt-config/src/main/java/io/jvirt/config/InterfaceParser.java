package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.unsupported;
import static io.jvirt.config.ConfigErrors.xml;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code <interface>} of type user, bridge or ethernet; a missing MAC is generated in QEMU's 52:54:00 range.
 * The other types libvirt knows are refused as unsupported, unknown ones as invalid XML. Stateless.
 */
final class InterfaceParser {
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{1,2}(:\\p{XDigit}{1,2}){5}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** libvirt's other interface types: valid XML that jvirt does not run. */
    private static final Set<String> OTHER_LIBVIRT_TYPES = Set.of(
            "network",
            "direct",
            "vhostuser",
            "hostdev",
            "server",
            "client",
            "mcast",
            "udp",
            "internal",
            "vdpa",
            "null",
            "vds");

    private InterfaceParser() {}

    static InterfaceDef parse(ElementReader r) {
        InterfaceType type = type(r);
        ElementReader macEl = r.child("mac");
        String mac = macEl == null ? null : macEl.attr("address");
        mac = mac == null ? generateMac() : normalizeMac(mac, r.path());
        String bridge = null;
        if (type == InterfaceType.BRIDGE) {
            ElementReader source = r.child("source");
            bridge = source == null ? null : source.attr("bridge");
            if (bridge == null || bridge.isBlank()) {
                throw xml("No <source> 'bridge' attribute specified with <interface type='bridge'/> at " + r.path());
            }
        }
        // A user interface has no host device: its <target>, if any, is kept as written.
        ElementReader target = type == InterfaceType.USER ? null : r.child("target");
        String dev = target == null ? null : target.attr("dev");
        Boolean managed = target == null ? null : managed(target);
        if (managed != null && type != InterfaceType.ETHERNET) {
            throw unsupported("<target managed=...> at " + r.path() + " is only supported for type='ethernet'");
        }
        ElementReader model = r.child("model");
        String modelType = model == null ? null : model.attr("type");
        ElementReader mtuEl = r.child("mtu");
        Integer mtu = mtu(mtuEl);
        ElementReader link = r.child("link");
        LinkState linkState = link == null ? null : linkState(link);
        DeviceInfo info = DeviceParser.info(r);
        return new InterfaceDef(type, mac, modelType, bridge, dev, managed, mtu, linkState, info, r.unknown());
    }

    private static InterfaceType type(ElementReader r) {
        String type = r.attr("type");
        if (type == null) {
            throw xml("missing interface type at " + r.path());
        }
        InterfaceType t = XmlValue.lookup(InterfaceType.class, type);
        if (t != null) {
            return t;
        }
        if (OTHER_LIBVIRT_TYPES.contains(type)) {
            throw unsupported("unsupported interface type '" + type + "' at " + r.path()
                    + ": jvirt supports 'user', 'bridge' and 'ethernet'");
        }
        throw xml("Invalid value for attribute 'type' in element 'interface': '" + type + "' at " + r.path());
    }

    private static Boolean managed(ElementReader target) {
        String managed = target.attr("managed");
        if (managed == null) {
            return null;
        }
        return switch (managed) {
            case "yes" -> Boolean.TRUE;
            case "no" -> Boolean.FALSE;
            default -> throw xml("invalid 'managed' value '" + managed + "' at " + target.path());
        };
    }

    private static Integer mtu(ElementReader mtuEl) {
        if (mtuEl == null) {
            return null;
        }
        String size = mtuEl.attr("size");
        try {
            int mtu = Integer.parseInt(size == null ? "" : size.strip());
            if (mtu <= 0) {
                throw new NumberFormatException();
            }
            return mtu;
        } catch (NumberFormatException e) {
            throw xml("malformed mtu size '" + size + "' at " + mtuEl.path());
        }
    }

    private static LinkState linkState(ElementReader link) {
        String state = link.attr("state");
        LinkState s = state == null ? null : XmlValue.lookup(LinkState.class, state);
        if (s == null) {
            throw xml("unknown interface link state '" + state + "' at " + link.path());
        }
        return s;
    }

    static String normalizeMac(String mac, String path) {
        if (!MAC.matcher(mac).matches()) {
            throw xml("unable to parse mac address '" + mac + "' at " + path);
        }
        StringBuilder b = new StringBuilder(17);
        for (String part : mac.split(":")) {
            if (!b.isEmpty()) {
                b.append(':');
            }
            b.append(part.length() == 1 ? "0" : "").append(part.toLowerCase(Locale.ROOT));
        }
        if ((Integer.parseInt(b.substring(0, 2), 16) & 1) != 0) {
            throw xml("expected unicast mac address, found multicast '" + mac + "' at " + path);
        }
        return b.toString();
    }

    private static String generateMac() {
        byte[] tail = new byte[3];
        RANDOM.nextBytes(tail);
        return "52:54:00:" + HexFormat.ofDelimiter(":").formatHex(tail);
    }
}

package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.unsupported;
import static io.jvirt.config.ConfigErrors.xml;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parses {@code <interface type='user'>}; a missing MAC is generated in QEMU's 52:54:00 range. Stateless. */
final class InterfaceParser {
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{1,2}(:\\p{XDigit}{1,2}){5}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private InterfaceParser() {}

    static InterfaceDef parse(ElementReader r) {
        String type = r.attr("type");
        if (type == null) {
            throw xml("missing interface type at " + r.path());
        }
        if (!type.equals("user")) {
            throw unsupported(
                    "interface type '" + type + "' at " + r.path() + " is not supported: jvirt supports type='user'");
        }
        ElementReader macEl = r.child("mac");
        String mac = macEl == null ? null : macEl.attr("address");
        mac = mac == null ? generateMac() : normalizeMac(mac, r.path());
        ElementReader model = r.child("model");
        String modelType = model == null ? null : model.attr("type");
        DeviceInfo info = DeviceParser.info(r);
        return new InterfaceDef(mac, modelType, info, r.unknown());
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

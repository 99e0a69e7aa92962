package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.unsupported;
import static io.jvirt.config.ConfigErrors.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code <graphics>} as libvirt does: {@code port='-1'} is the old spelling of autoport; a display with
 * no port is autoport; the {@code listen} attribute and the first {@code <listen type='address'>} must agree,
 * and either alone yields both on output. Stateless.
 */
final class GraphicsParser {
    private GraphicsParser() {}

    static GraphicsDef parse(ElementReader r) {
        String typeText = r.attr("type");
        GraphicsType type = XmlValue.lookup(GraphicsType.class, typeText);
        if (type == null) {
            throw unsupported("graphics type '" + typeText + "' at " + r.path() + " is not supported (vnc, spice)");
        }
        Integer port = ConfigErrors.parseInt(r.attr("port"), "graphics port", r.path());
        Integer tlsPort = type == GraphicsType.SPICE
                ? ConfigErrors.parseInt(r.attr("tlsPort"), "graphics tlsPort", r.path())
                : null;
        port = port != null && port == -1 ? null : port;
        // tlsPort='-1' asks for a TLS port chosen at start, so it is kept; an absent one means no TLS.
        String autoportText = r.attr("autoport");
        boolean autoport;
        if (autoportText == null) {
            autoport = port == null && (tlsPort == null || tlsPort == -1);
        } else if (autoportText.equals("yes") || autoportText.equals("no")) {
            autoport = autoportText.equals("yes");
        } else {
            throw xml("invalid autoport '" + autoportText + "' at " + r.path() + " (yes, no)");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw xml("graphics port " + port + " at " + r.path() + " is out of range");
        }
        String passwd = r.attr("passwd");
        List<GraphicsListen> listens = listens(r, r.attr("listen"));
        DeviceInfo info = DeviceParser.info(r);
        return new GraphicsDef(type, port, autoport, tlsPort, listens, passwd, info, r.unknown());
    }

    private static List<GraphicsListen> listens(ElementReader r, String listenAttr) {
        List<GraphicsListen> out = new ArrayList<>();
        for (ElementReader l : r.children("listen")) {
            String type = l.attr("type");
            if (type == null) {
                throw xml("graphics listen type must be specified at " + l.path());
            }
            out.add(new GraphicsListen(type, type.equals("address") ? l.attr("address") : null));
        }
        if (listenAttr == null) {
            return out;
        }
        if (out.isEmpty()) {
            out.add(GraphicsListen.address(listenAttr));
        } else if (out.getFirst().type().equals("address")) {
            String first = out.getFirst().address();
            if (first == null) {
                out.set(0, GraphicsListen.address(listenAttr));
            } else if (!first.equals(listenAttr)) {
                throw xml("graphics 'listen' attribute '" + listenAttr + "' must match 'address' attribute of "
                        + "first listen element (found '" + first + "') at " + r.path());
            }
        }
        return out;
    }
}

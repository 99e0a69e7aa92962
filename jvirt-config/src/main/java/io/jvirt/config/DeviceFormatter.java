package io.jvirt.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes one device. Live-only data (aliases other than user {@code ua-} aliases, ports chosen by autoport,
 * pty paths) is written only when neither {@link FormatFlag#INACTIVE} nor {@link FormatFlag#MIGRATABLE} is
 * set. Stateless.
 */
final class DeviceFormatter {
    private DeviceFormatter() {}

    static XmlElement format(DeviceDef device, Set<FormatFlag> flags) {
        boolean live = !flags.contains(FormatFlag.INACTIVE) && !flags.contains(FormatFlag.MIGRATABLE);
        return switch (device) {
            case DiskDef d ->
                info(DiskFormatter.format(d, live), d.info(), live).build();
            case ControllerDef c ->
                info(ControllerParser.format(c), c.info(), live).build();
            case UsbControllerDef c ->
                info(ControllerParser.format(c), c.info(), live).build();
            case CharDeviceDef c -> charDevice(c, live);
            case GraphicsDef g -> graphics(g, live, flags.contains(FormatFlag.HIDE_SECRETS));
            case VideoDef v -> video(v, live);
            case MemballoonDef m ->
                info(
                                new ElementWriter("memballoon", m.unknown())
                                        .attr("model", m.model())
                                        .unknownElementsHere(),
                                m.info(),
                                live)
                        .build();
            case InterfaceDef i -> InterfaceFormatter.format(i, live, flags.contains(FormatFlag.INACTIVE));
            case UnknownDevice u -> unknownDevice(u, live);
        };
    }

    private static XmlElement charDevice(CharDeviceDef c, boolean live) {
        boolean pty = c.type() == CharSourceType.PTY;
        String path = pty && !live ? null : c.sourcePath();
        ElementWriter w = new ElementWriter(c.kind().xml(), c.unknown())
                .attr("type", c.type().xml());
        if (pty && c.kind() == CharDeviceKind.CONSOLE) {
            w.attr("tty", path);
        }
        w.optionalChild(
                "source",
                s -> s.attr("mode", c.sourceMode())
                        .attr("path", path)
                        .attr("append", c.append() == null ? null : c.append() ? "on" : "off"));
        w.optionalChild("target", t -> t.attr("type", c.targetType()).attr("port", c.targetPort()));
        return info(w.unknownElementsHere(), c.info(), live).build();
    }

    private static XmlElement graphics(GraphicsDef g, boolean live, boolean hideSecrets) {
        // An autoport display's ports belong to one run; inactive and migratable XML say "pick one".
        boolean chosenPorts = g.autoport() && !live;
        ElementWriter w =
                new ElementWriter("graphics", g.unknown()).attr("type", g.type().xml());
        w.attr("port", chosenPorts || g.port() == null ? (g.autoport() ? -1 : null) : g.port());
        if (g.type() == GraphicsType.SPICE) {
            // A TLS port picked at start is "pick one again" (-1) elsewhere; none at all stays absent.
            w.attr("tlsPort", chosenPorts && g.tlsPort() != null ? Integer.valueOf(-1) : g.tlsPort());
        }
        w.attr("autoport", g.autoport() ? "yes" : "no");
        GraphicsListen first = g.listens().isEmpty() ? null : g.listens().getFirst();
        if (first != null && first.type().equals("address")) {
            w.attr("listen", first.address());
        }
        if (!hideSecrets) {
            w.attr("passwd", g.passwd());
        }
        for (int i = 0; i < g.listens().size(); i++) {
            GraphicsListen l = g.listens().get(i);
            w.child("listen#" + i, "listen", x -> x.attr("type", l.type()).attr("address", l.address()));
        }
        return info(w.unknownElementsHere(), g.info(), live).build();
    }

    private static XmlElement video(VideoDef v, boolean live) {
        ElementWriter w = new ElementWriter("video", v.unknown());
        w.optionalChild(
                "model",
                m -> m.attr("type", v.modelType()).attr("vram", v.vram()).attr("heads", v.heads()));
        return info(w.unknownElementsHere(), v.info(), live).build();
    }

    private static XmlElement unknownDevice(UnknownDevice u, boolean live) {
        if (!showAlias(u.info(), live)) {
            return u.element();
        }
        List<XmlNode> children = new ArrayList<>(u.element().children());
        children.add(XmlElement.empty("alias", List.of(new XmlAttr("name", u.alias()))));
        return new XmlElement(u.element().name(), u.element().attributes(), children);
    }

    static ElementWriter info(ElementWriter w, DeviceInfo info, boolean live) {
        if (showAlias(info, live)) {
            w.child("alias", a -> a.attr("name", info.alias()));
        }
        return w.element(info.address());
    }

    private static boolean showAlias(DeviceInfo info, boolean live) {
        return info.alias() != null && (live || info.hasUserAlias());
    }
}

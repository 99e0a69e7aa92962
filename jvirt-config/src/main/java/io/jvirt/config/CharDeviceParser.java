package io.jvirt.config;

import static io.jvirt.config.ConfigErrors.unsupported;
import static io.jvirt.config.ConfigErrors.xml;

/** Parses {@code <serial>} and {@code <console>}. Stateless. */
final class CharDeviceParser {
    private CharDeviceParser() {}

    static CharDeviceDef parse(ElementReader r, CharDeviceKind kind) {
        String typeText = r.attr("type");
        // libvirt's default character device type is pty
        CharSourceType type = typeText == null ? CharSourceType.PTY : XmlValue.lookup(CharSourceType.class, typeText);
        if (type == null) {
            throw unsupported(
                    "character device type '" + typeText + "' at " + r.path() + " is not supported (file, pty, unix)");
        }
        // Live XML repeats a console's pty as tty='...'; the source path is what counts, so this is dropped.
        r.attr("tty");
        ElementReader source = r.child("source");
        String path = source == null ? null : source.attr("path");
        Boolean append = source == null ? null : onOff(source.attr("append"), source.path());
        String mode = source == null ? null : source.attr("mode");
        if (path == null && type != CharSourceType.PTY) {
            throw xml("Missing source path attribute for char device at " + r.path());
        }
        if (mode != null && !mode.equals("bind") && !mode.equals("connect")) {
            throw xml("unknown source mode '" + mode + "' at " + r.path() + " (bind, connect)");
        }
        ElementReader target = r.child("target");
        Integer port = target == null ? null : ConfigErrors.parseInt(target.attr("port"), "target port", target.path());
        String targetType = target == null ? null : target.attr("type");
        DeviceInfo info = DeviceParser.info(r);
        return new CharDeviceDef(kind, type, path, append, mode, port, targetType, info, r.unknown());
    }

    private static Boolean onOff(String value, String path) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> throw xml("invalid append '" + value + "' at " + path + " (on, off)");
        };
    }
}

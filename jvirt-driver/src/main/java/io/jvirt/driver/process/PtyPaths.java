package io.jvirt.driver.process;

import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.CharSourceType;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DomainDef;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the pseudo-terminals QEMU opened for {@code type='pty'} serial ports into the live definition, as libvirt
 * does, so a console client finds them in the live XML ({@code <source path='/dev/pts/N'/>}, {@code tty=} on the
 * console).
 */
public final class PtyPaths {
    private static final String PTY_PREFIX = "pty:";

    private PtyPaths() {}

    public static DomainDef fill(DomainDef live, Monitor monitor) throws IOException {
        boolean wanted = live.devicesOf(CharDeviceDef.class).stream().anyMatch(c -> c.type() == CharSourceType.PTY);
        if (!wanted) {
            return live;
        }
        Map<String, String> byChardev = new HashMap<>();
        Object reply = monitor.execute("query-chardev", Map.of()).get("return");
        if (reply instanceof List<?> chardevs) {
            for (Object o : chardevs) {
                if (o instanceof Map<?, ?> c
                        && c.get("filename") instanceof String file
                        && file.startsWith(PTY_PREFIX)) {
                    byChardev.put(String.valueOf(c.get("label")), file.substring(PTY_PREFIX.length()));
                }
            }
        }
        List<DeviceDef> devices = new ArrayList<>();
        for (DeviceDef d : live.devices()) {
            if (d instanceof CharDeviceDef c
                    && c.type() == CharSourceType.PTY
                    && c.alias() != null
                    && byChardev.containsKey("char" + c.alias())) {
                devices.add(c.withSourcePath(byChardev.get("char" + c.alias())));
            } else {
                devices.add(d);
            }
        }
        return live.withDevices(devices);
    }
}

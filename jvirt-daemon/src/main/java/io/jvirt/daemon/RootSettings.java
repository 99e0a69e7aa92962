package io.jvirt.daemon;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the daemon config's driver keys (host UUID, migration ports and address) into {@code DIR/etc/jvirt.conf},
 * which the driver reads when it opens: a key already there is replaced in place, a new one appended, every other
 * line (comments included) kept. Written atomically ({@link AtomicFiles}): a daemon killed meanwhile leaves the
 * old file. Runs once, on the starting thread, before the driver is opened.
 */
final class RootSettings {
    private RootSettings() {}

    static Path file(Path root) {
        return root.resolve("etc/jvirt.conf");
    }

    static void merge(Path root, Map<String, String> settings) {
        if (settings.isEmpty()) {
            return;
        }
        Path file = file(root);
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            AtomicFiles.write(file, String.join("\n", merged(lines, settings)) + "\n");
        } catch (IOException e) {
            throw VirtException.of(ErrorCode.WRITE_FAILED, ErrorDomain.CONF, file + ": " + e.getMessage(), e);
        }
    }

    static List<String> merged(List<String> lines, Map<String, String> settings) {
        Map<String, String> pending = new LinkedHashMap<>(settings);
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String key = keyOf(line);
            if (key != null && pending.containsKey(key)) {
                out.add(key + " = " + pending.remove(key));
            } else if (key == null || !settings.containsKey(key)) {
                out.add(line);
            }
        }
        pending.forEach((k, v) -> out.add(k + " = " + v));
        return out;
    }

    private static String keyOf(String line) {
        String s = line.strip();
        int eq = s.indexOf('=');
        if (s.startsWith("#") || eq <= 0) {
            return null;
        }
        return s.substring(0, eq).strip();
    }
}

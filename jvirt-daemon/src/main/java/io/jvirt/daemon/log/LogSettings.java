package io.jvirt.daemon.log;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.ConfFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libvirtd's logging keys, read from jvirtd.conf:
 * <pre>
 * log_level = 3                          # 1 debug, 2 info, 3 warning, 4 error
 * log_filters = "1:qemu 3:remote"        # LEVEL:CATEGORY, space separated; a category is one of libvirt's names
 *                                        # mapped below, or a jvirt logger name (io.jvirt.driver.migration)
 * log_outputs = "2:stderr 1:file:/var/log/jvirt/jvirtd.log 3:journald"
 * </pre>
 * None of them set: jvirtd logs as before (INFO and up to stderr).
 *
 * @param level   the global level, 1-4
 * @param filters per-category levels, overriding the global one
 * @param outputs where lines go, each with its own minimum level
 */
public record LogSettings(int level, List<Filter> filters, List<Output> outputs) {
    /** libvirt's default log_level. */
    public static final int DEFAULT_LEVEL = 3;

    /**
     * libvirt's log categories (the source-file names its filters match) and the jvirt loggers that do their work.
     * Kept in order: a filter names one of these, or a logger.
     */
    static final Map<String, List<String>> CATEGORIES = categories();

    public LogSettings {
        filters = List.copyOf(filters);
        outputs = List.copyOf(outputs);
    }

    /** One {@code LEVEL:CATEGORY} of log_filters, with the logger names it stands for. */
    public record Filter(int level, String category, List<String> loggers) {
        public Filter {
            loggers = List.copyOf(loggers);
        }
    }

    /** Where an output writes. */
    public enum Target {
        STDERR,
        FILE,
        JOURNALD
    }

    /** One {@code LEVEL:TARGET[:PATH]} of log_outputs; {@code file} is set for {@link Target#FILE} only. */
    public record Output(int level, Target target, Path file) {}

    /** Whether the file set any logging key; if not, logging is left as the JVM set it up. */
    public static boolean configured(ConfFile conf) {
        return conf.has("log_level") || conf.has("log_filters") || conf.has("log_outputs");
    }

    /** The settings a file describes; a bad value is a CONF_SYNTAX error naming its key. */
    public static LogSettings fromConf(ConfFile conf) {
        int level = level("log_level", conf.string("log_level", String.valueOf(DEFAULT_LEVEL)));
        List<Filter> filters = new ArrayList<>();
        for (String f : words(conf.string("log_filters", ""))) {
            filters.add(filter(f));
        }
        List<Output> outputs = new ArrayList<>();
        for (String o : words(conf.string("log_outputs", ""))) {
            outputs.add(output(o));
        }
        if (outputs.isEmpty()) {
            outputs.add(new Output(level, Target.STDERR, null));
        }
        return new LogSettings(level, filters, outputs);
    }

    private static Filter filter(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw bad("log_filters", "'" + text + "' is not LEVEL:CATEGORY");
        }
        int level = level("log_filters", text.substring(0, colon));
        String category = text.substring(colon + 1);
        if (category.startsWith("+")) {
            category = category.substring(1); // libvirt's "log a stack trace too": Java's records carry it anyway
        }
        List<String> loggers = CATEGORIES.get(category);
        if (loggers == null) {
            if (!category.startsWith("io.jvirt")) {
                throw bad(
                        "log_filters",
                        "unknown category '" + category + "'; use one of " + String.join(", ", CATEGORIES.keySet())
                                + " or a logger name starting with io.jvirt");
            }
            loggers = List.of(category);
        }
        return new Filter(level, category, loggers);
    }

    private static Output output(String text) {
        String[] parts = text.split(":", 3);
        if (parts.length < 2) {
            throw bad("log_outputs", "'" + text + "' is not LEVEL:stderr, LEVEL:file:PATH or LEVEL:journald");
        }
        int level = level("log_outputs", parts[0]);
        return switch (parts[1]) {
            case "stderr" -> {
                requireNoArgument(text, parts);
                yield new Output(level, Target.STDERR, null);
            }
            case "journald" -> {
                requireNoArgument(text, parts);
                yield new Output(level, Target.JOURNALD, null);
            }
            case "file" -> {
                if (parts.length < 3 || !parts[2].startsWith("/")) {
                    throw bad("log_outputs", "'" + text + "' needs an absolute path: LEVEL:file:/PATH");
                }
                yield new Output(level, Target.FILE, Path.of(parts[2]));
            }
            case "syslog" ->
                throw bad("log_outputs", "'" + text + "': syslog output is not supported; use journald or a file");
            default ->
                throw bad(
                        "log_outputs",
                        "unknown output '" + parts[1] + "' in '" + text + "'; use stderr, file:PATH or journald");
        };
    }

    private static void requireNoArgument(String text, String[] parts) {
        if (parts.length > 2) {
            throw bad("log_outputs", "'" + text + "': " + parts[1] + " takes no argument");
        }
    }

    private static int level(String key, String text) {
        if (text.length() == 1 && text.charAt(0) >= '1' && text.charAt(0) <= '4') {
            return text.charAt(0) - '0';
        }
        throw bad(key, "level '" + text + "' must be 1 (debug), 2 (info), 3 (warning) or 4 (error)");
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }

    private static VirtException bad(String key, String detail) {
        return VirtException.of(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, "setting '" + key + "': " + detail);
    }

    private static Map<String, List<String>> categories() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("remote", List.of("io.jvirt.daemon", "io.jvirt.remote"));
        m.put("rpc", List.of("io.jvirt.rpc", "io.jvirt.daemon.calls"));
        m.put("event", List.of("io.jvirt.daemon.EventFanout", "io.jvirt.daemon.ClientEvents"));
        m.put("qemu", List.of("io.jvirt.driver", "io.jvirt.qmp"));
        m.put("qemu_monitor", List.of("io.jvirt.qmp"));
        m.put("qemu_migration", List.of("io.jvirt.driver.migration", "io.jvirt.daemon.migration"));
        m.put("qemu_process", List.of("io.jvirt.driver.process"));
        m.put("security", List.of("io.jvirt.driver.security"));
        m.put("conf", List.of("io.jvirt.config"));
        m.put("util", List.of("io.jvirt.nativeio"));
        return java.util.Collections.unmodifiableMap(m);
    }
}

package io.jvirt.daemon.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One log line as libvirtd writes them: {@code 2026-12-07 19:30:00.123+0000: 4711: info : LOGGER: MESSAGE}, a
 * stack trace on the lines after it.
 *
 * <p>Threading: stateless; any thread.
 */
final class LogLine extends Formatter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final long PID = ProcessHandle.current().pid();

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder()
                .append(TIME.format(r.getInstant()))
                .append(": ")
                .append(PID)
                .append(": ")
                .append(word(r.getLevel()))
                .append(" : ")
                .append(r.getLoggerName())
                .append(": ")
                .append(formatMessage(r))
                .append('\n');
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            b.append(trace);
        }
        return b.toString();
    }

    /** libvirt's level words. */
    static String word(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warning";
        }
        return v >= Level.INFO.intValue() ? "info" : "debug";
    }

    /** The JUL level at and above which a libvirt level (1-4) lets records through. */
    static Level julLevel(int libvirtLevel) {
        return switch (libvirtLevel) {
            case 1 -> Level.ALL;
            case 2 -> Level.INFO;
            case 3 -> Level.WARNING;
            default -> Level.SEVERE;
        };
    }
}

package io.jvirt.daemon.log;

import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.UnixDatagram;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The {@code journald} output: each record one datagram in systemd-journald's native protocol (KEY=VALUE lines;
 * a value with a newline as KEY, newline, its 64-bit little-endian length, the bytes), with the syslog priority,
 * the identifier {@code jvirtd} and the logger name.
 *
 * <p>Threading: {@link #publish} from any logging thread; a send is one system call.
 */
final class JournaldHandler extends Handler {
    /** Where journald takes native entries. */
    static final Path SOCKET = Path.of("/run/systemd/journal/socket");

    private final UnixDatagram socket;
    private final LogLine text = new LogLine();

    JournaldHandler(Path socketPath) throws NativeIOException {
        this.socket = UnixDatagram.connect(socketPath);
    }

    @Override
    public void publish(LogRecord r) {
        if (!isLoggable(r)) {
            return;
        }
        String message = text.formatMessage(r);
        if (r.getThrown() != null) {
            message = message + ": " + r.getThrown();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, "MESSAGE", message);
        field(out, "PRIORITY", String.valueOf(priority(r.getLevel())));
        field(out, "SYSLOG_IDENTIFIER", "jvirtd");
        field(out, "JVIRT_LOGGER", r.getLoggerName());
        try {
            socket.send(out.toByteArray());
        } catch (NativeIOException e) {
            reportError("journald refused a log entry", e, ErrorManager.WRITE_FAILURE);
        }
    }

    /** syslog's priorities: 3 err, 4 warning, 6 info, 7 debug. */
    static int priority(Level level) {
        return switch (LogLine.word(level)) {
            case "error" -> 3;
            case "warning" -> 4;
            case "info" -> 6;
            default -> 7;
        };
    }

    static void field(ByteArrayOutputStream out, String key, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(key.getBytes(StandardCharsets.US_ASCII));
        if (value.indexOf('\n') < 0) {
            out.write('=');
            out.writeBytes(v);
        } else {
            out.write('\n');
            long n = v.length;
            for (int i = 0; i < 8; i++) {
                out.write((int) (n >>> (8 * i)) & 0xff);
            }
            out.writeBytes(v);
        }
        out.write('\n');
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        socket.close();
    }
}

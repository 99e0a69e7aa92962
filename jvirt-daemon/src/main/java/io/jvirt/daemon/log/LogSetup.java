package io.jvirt.daemon.log;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.nativeio.NativeIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Applies {@link LogSettings} to java.util.logging: the root logger at log_level, each filter's loggers at theirs,
 * and one handler per output at its own level, writing {@link LogLine}s (journald takes its own fields). An output
 * that cannot be opened (a file's directory that cannot be made, no journald) stops the start with an error naming
 * it, as libvirtd refuses to start.
 *
 * <p>Threading: called once, on the daemon's main thread, before the daemon starts.
 */
public final class LogSetup {
    /** Loggers whose level was set, held so the JVM cannot collect them and forget the level. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private LogSetup() {}

    /** Replaces the root logger's handlers and levels; returns the handlers it installed. */
    public static synchronized List<Handler> apply(LogSettings settings) {
        return apply(settings, JournaldHandler.SOCKET);
    }

    static synchronized List<Handler> apply(LogSettings settings, Path journalSocket) {
        List<Handler> handlers = new ArrayList<>();
        try {
            for (LogSettings.Output o : settings.outputs()) {
                Handler h = open(o, journalSocket);
                h.setLevel(LogLine.julLevel(o.level()));
                handlers.add(h);
            }
        } catch (RuntimeException e) {
            handlers.forEach(Handler::close);
            throw e;
        }
        Logger root = Logger.getLogger("");
        for (Handler old : root.getHandlers()) {
            root.removeHandler(old);
            old.close();
        }
        handlers.forEach(root::addHandler);
        root.setLevel(LogLine.julLevel(settings.level()));
        CONFIGURED.forEach(l -> l.setLevel(null));
        CONFIGURED.clear();
        for (LogSettings.Filter f : settings.filters()) {
            for (String name : f.loggers()) {
                Logger l = Logger.getLogger(name);
                l.setLevel(LogLine.julLevel(f.level()));
                CONFIGURED.add(l);
            }
        }
        return List.copyOf(handlers);
    }

    private static Handler open(LogSettings.Output o, Path journalSocket) {
        return switch (o.target()) {
            case STDERR -> {
                ConsoleHandler h = new ConsoleHandler();
                h.setFormatter(new LogLine());
                yield h;
            }
            case FILE -> {
                try {
                    Path parent = o.file().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    FileHandler h = new FileHandler(o.file().toString(), true);
                    h.setFormatter(new LogLine());
                    h.setEncoding("UTF-8");
                    yield h;
                } catch (IOException e) {
                    throw VirtException.of(
                            ErrorCode.CONF_SYNTAX,
                            ErrorDomain.CONF,
                            "setting 'log_outputs': cannot open log file " + o.file() + ": " + e.getMessage());
                }
            }
            case JOURNALD -> {
                if (!Files.exists(journalSocket)) {
                    throw VirtException.of(
                            ErrorCode.CONF_SYNTAX,
                            ErrorDomain.CONF,
                            "setting 'log_outputs': journald output asked for, but " + journalSocket
                                    + " does not exist (is systemd-journald running?)");
                }
                try {
                    yield new JournaldHandler(journalSocket);
                } catch (NativeIOException e) {
                    throw VirtException.of(
                            ErrorCode.CONF_SYNTAX,
                            ErrorDomain.CONF,
                            "setting 'log_outputs': cannot reach journald at " + journalSocket + ": " + e.getMessage());
                }
            }
        };
    }
}

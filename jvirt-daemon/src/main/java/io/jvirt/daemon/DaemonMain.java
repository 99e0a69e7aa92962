package io.jvirt.daemon;

import io.jvirt.api.VirtException;
import io.jvirt.daemon.log.LogSettings;
import io.jvirt.daemon.log.LogSetup;
import io.jvirt.driver.root.AtomicFiles;
import io.jvirt.driver.root.ConfFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code jvirt daemon [--root DIR] [--config FILE] [--listen tcp://ADDR:PORT]}: runs jvirtd in the foreground.
 * After every socket is bound it prints {@code jvirtd ready} on stdout and, when {@code NOTIFY_FILE} is set,
 * writes that file (listen addresses and host UUID), so a caller waits for readiness instead of sleeping; under
 * systemd ({@code Type=notify}) it sends {@code READY=1} to {@code $NOTIFY_SOCKET} too.
 * SIGTERM/SIGINT (the shutdown hook) close the listeners and the driver; guests keep running. The process then
 * ends with the JVM's signal status (143 after SIGTERM), as any Java service does.
 */
public final class DaemonMain {
    /** What is printed once the sockets are bound. */
    public static final String READY_LINE = "jvirtd ready";

    private DaemonMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the daemon until it is stopped; returns the exit status (0 after a clean stop, 1 on a start error). */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Daemon daemon;
        try {
            DaemonConfig config = DaemonConfigLoader.fromArgs(args);
            ConfFile conf = DaemonConfigLoader.confFile(args);
            Optional<InetSocketAddress> metrics = DaemonConfigLoader.metricsListen(conf);
            if (LogSettings.configured(conf)) {
                LogSetup.apply(LogSettings.fromConf(conf));
            }
            daemon = Daemon.start(config, metrics);
        } catch (VirtException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(
                () -> {
                    SystemdNotify.send("STOPPING=1");
                    daemon.close();
                },
                "jvirtd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            notifyReady(daemon);
        } catch (IOException e) {
            err.println("error: cannot write NOTIFY_FILE: " + e.getMessage());
            daemon.close();
            return 1;
        }
        out.println(READY_LINE);
        out.flush();
        SystemdNotify.send("READY=1\nSTATUS=listening on " + String.join(" ", daemon.listenAddresses()));
        try {
            while (!daemon.awaitClosed(1, TimeUnit.HOURS)) {
                // foreground until the shutdown hook (or a test) closes the daemon
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.close();
        }
        return 0;
    }

    private static void notifyReady(Daemon daemon) throws IOException {
        String file = System.getenv("NOTIFY_FILE");
        if (file == null || file.isBlank()) {
            return;
        }
        AtomicFiles.write(
                Path.of(file),
                "READY=1\nHOST_UUID=" + daemon.hostUuid() + "\nLISTEN=" + String.join(" ", daemon.listenAddresses())
                        + "\n");
    }
}

package io.jvirt.cli;

import io.jvirt.daemon.DaemonMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code daemon}: runs jvirtd in the foreground, serving this host's driver over libvirt's remote protocol until
 * SIGTERM (the guests keep running; the next daemon finds them). It prints {@code jvirtd ready} once its sockets
 * are bound. Runs on the main thread; the daemon's own threads serve the clients.
 */
@Command(name = "daemon", description = "run jvirtd: serve this host over libvirt's remote protocol (virsh works)")
public final class DaemonCommand implements Callable<Integer> {
    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "the host's root (default /var/lib/jvirt; sockets then in /run/jvirt, else DIR/run)")
    private Path root;

    @Option(names = "--config", paramLabel = "FILE", description = "a libvirtd.conf-style settings file")
    private Path config;

    @Option(names = "--listen", paramLabel = "tcp://ADDR:PORT", description = "also listen on TCP (no authentication)")
    private String listen;

    @SuppressWarnings("unused") // picocli reads it
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help")
    private boolean help;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>();
        if (root != null) {
            args.addAll(List.of("--root", root.toString()));
        }
        if (config != null) {
            args.addAll(List.of("--config", config.toString()));
        }
        if (listen != null) {
            args.addAll(List.of("--listen", listen));
        }
        return DaemonMain.run(args.toArray(String[]::new));
    }
}

package io.jvirt.cli.migrate;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Ctrl-C during {@code migrate}: as in virsh, it aborts the migration job instead of killing the client, which
 * would leave the job running without anyone to report its end. SIGINT is taken over while the migration runs
 * and handed back afterwards; where the JVM does not allow that ({@code -Xrs}), a shutdown hook aborts the job
 * instead. The action runs on the JVM's signal (or shutdown) thread.
 */
final class InterruptSignal {
    private static final Logger LOG = System.getLogger(InterruptSignal.class.getName());

    private InterruptSignal() {
    }

    /** Runs {@code action} on SIGINT until the returned handle is closed. */
    static Handle onInterrupt(Runnable action) {
        Signal interrupt = new Signal("INT");
        try {
            SignalHandler previous = Signal.handle(interrupt, signal -> action.run());
            return () -> Signal.handle(interrupt, previous);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "cannot take over SIGINT, aborting from a shutdown hook instead: {0}", e.getMessage());
            Thread hook = Thread.ofPlatform().name("jvirt-migrate-abort").unstarted(action);
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or has run: nothing to hand back.
                }
            };
        }
    }

    /** Gives SIGINT back to whoever had it. */
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}

package io.jvirt.cli.command;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.VirtException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;

/**
 * What every command of one {@code jvirt} invocation shares: its output streams, the global options and the
 * connection, opened on first use so that commands which need none ({@code help}, {@code demo}) work without a
 * driver. Used from the main thread; the {@code --verbose} progress poller of {@code save}, {@code managedsave} and
 * {@code dump} also writes to {@link #err()}, whose PrintWriter serialises the two.
 */
public final class CliContext implements AutoCloseable {
    /** Names the connection when {@code -c} is not given. */
    public static final String DEFAULT_URI_ENV = "JVIRT_DEFAULT_URI";
    /** Set to 1 to print stack traces of failures. */
    public static final String DEBUG_ENV = "JVIRT_DEBUG";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Function<String, Connection> opener;
    private final Map<String, String> env;
    private String uriOption;
    private boolean quiet;
    private Connection connection;
    private boolean connectFailed;

    /**
     * @param opener opens a connection for a URI ({@code Connections::open} in production, a fake in tests)
     * @param env    the environment to read {@link #DEFAULT_URI_ENV} and {@link #DEBUG_ENV} from
     */
    public CliContext(PrintWriter out, PrintWriter err, Function<String, Connection> opener, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.opener = opener;
        this.env = Map.copyOf(env);
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean quiet() {
        return quiet;
    }

    /** Set by the top-level command's {@code -q}. */
    public void setQuiet(boolean quiet) {
        this.quiet = quiet;
    }

    /** Set by the top-level command's {@code -c}. */
    public void setUriOption(String uri) {
        this.uriOption = uri;
    }

    public boolean debug() {
        return "1".equals(env.get(DEBUG_ENV));
    }

    /** The URI to connect to: {@code -c}, else {@code $JVIRT_DEFAULT_URI}, else jvirt's default. */
    public String uri() {
        if (uriOption != null) {
            return uriOption;
        }
        String fromEnv = env.get(DEFAULT_URI_ENV);
        return fromEnv == null || fromEnv.isBlank() ? Connections.defaultUri() : fromEnv;
    }

    /**
     * The connection, opened on first call.
     *
     * @throws CliError as virsh words it: "failed to connect to the hypervisor", then the driver's reason
     */
    public Connection connection() {
        if (connection == null) {
            try {
                connection = opener.apply(uri());
            } catch (VirtException e) {
                connectFailed = true;
                throw new CliError("failed to connect to the hypervisor", e);
            }
        }
        return connection;
    }

    /** Prints an informational line, as virsh's {@code vshPrintExtra}: suppressed by {@code -q}. */
    public void extra(String text) {
        if (!quiet) {
            out.println(text);
        }
    }

    /**
     * Prints informational text without ending the line, as virsh does for the few messages it leaves for the
     * command's closing empty line to end ({@code managedsave-remove}); suppressed by {@code -q} like that line.
     */
    public void extraUnterminated(String text) {
        if (!quiet) {
            out.print(text);
        }
    }

    /**
     * Ends a command's output the way virsh does: one empty line, even after a failure, unless {@code -q} is
     * given or the command never reached the hypervisor.
     */
    void commandFinished() {
        if (!quiet && !connectFailed) {
            out.println();
        }
        out.flush();
    }

    @Override
    public void close() {
        if (connection != null) {
            Connection c = connection;
            connection = null;
            c.close();
        }
    }
}

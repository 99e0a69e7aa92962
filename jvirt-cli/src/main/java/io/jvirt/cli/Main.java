package io.jvirt.cli;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code jvirt.jar}: runs one command and exits 0 on success, 1 on any failure, printing every
 * failure as virsh does, {@code error: <message>} on stderr (stack traces only with {@code JVIRT_DEBUG=1}).
 * Runs on the main thread.
 */
public final class Main {
    /** Exit status of every failure, bad usage included, as virsh. */
    public static final int FAILURE = 1;

    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int status = run(args, out, err, Connections::open, System.getenv());
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Runs {@code args} as one {@code jvirt} invocation.
     *
     * @param opener opens the connection when a command first needs one
     * @return the exit status
     */
    public static int run(
            String[] args,
            PrintWriter out,
            PrintWriter err,
            Function<String, Connection> opener,
            Map<String, String> env) {
        try (CliContext context = new CliContext(out, err, opener, env)) {
            CommandLine commandLine = new CommandLine(new JvirtCommand(context));
            commandLine.setOut(out);
            commandLine.setErr(err);
            commandLine.setParameterExceptionHandler((e, ignoredArgs) -> {
                report(context, UsageErrors.message(e), e);
                return FAILURE;
            });
            commandLine.setExecutionExceptionHandler((e, ignoredLine, ignoredResult) -> failed(context, e));
            if (args.length == 0) {
                commandLine.usage(err);
                return FAILURE;
            }
            int status = commandLine.execute(args);
            return status == 0 ? 0 : FAILURE;
        } catch (RuntimeException e) {
            // Closing the connection failed, or picocli itself did: still an error, still exit 1.
            err.println("error: " + describe(e));
            err.flush();
            return FAILURE;
        }
    }

    private static int failed(CliContext context, Exception e) {
        switch (e) {
            case CliError cli -> {
                for (String line : cli.lines()) {
                    context.err().println("error: " + line);
                }
                debugTrace(context, e);
            }
            case ParameterException usage -> report(context, UsageErrors.message(usage), e);
            case VirtException virt -> report(context, virt.getMessage(), e);
            default -> report(context, describe(e), e);
        }
        context.err().flush();
        return FAILURE;
    }

    private static void report(CliContext context, String message, Exception e) {
        context.err().println("error: " + message);
        debugTrace(context, e);
        context.err().flush();
    }

    private static void debugTrace(CliContext context, Exception e) {
        if (context.debug()) {
            e.printStackTrace(context.err());
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }
}

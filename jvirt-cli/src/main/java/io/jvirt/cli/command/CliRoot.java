package io.jvirt.cli.command;

/**
 * The top-level command, as its subcommands see it: the holder of the invocation's {@link CliContext}. An interface
 * so that {@link CliCommand} can reach the context without naming the top-level command, which lives in
 * {@code io.jvirt.cli} and depends on every command package (a package cycle otherwise).
 */
public interface CliRoot {
    /** The invocation's shared state. */
    CliContext context();
}

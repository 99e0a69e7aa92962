/**
 * What the subcommands of {@code jvirt} are built on: their base classes ({@link io.jvirt.cli.command.CliCommand},
 * {@link io.jvirt.cli.command.DomainCommand}), the invocation's shared {@link io.jvirt.cli.command.CliContext}
 * (output, global options, the connection opened on first use) reached through the top-level command as a
 * {@link io.jvirt.cli.command.CliRoot}, the domain argument and required-argument checks, the virsh-worded
 * {@link io.jvirt.cli.command.CliError} and virsh's formats. The bottom layer of the CLI: it uses jvirt-api and
 * picocli only, never another {@code io.jvirt.cli} package, so the command packages can depend on it while
 * {@code io.jvirt.cli} registers them. Used from the main thread, see {@code CliContext} for the one exception.
 */
package io.jvirt.cli.command;

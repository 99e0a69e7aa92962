package io.jvirt.cli.command;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** Base of commands that act on one domain named by a {@link DomainArg}. Runs on the main thread. */
public abstract class DomainCommand extends CliCommand {
    @Mixin
    protected DomainArg domain;

    @Override
    protected void checkArguments(CommandSpec spec) {
        domain.require(spec);
    }
}

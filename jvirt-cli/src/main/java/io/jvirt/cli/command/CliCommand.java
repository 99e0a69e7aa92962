package io.jvirt.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands of the top-level command ({@link CliRoot}): hands them the invocation's
 * {@link CliContext} and ends their output as virsh does. Subcommands report failure by throwing {@link CliError}
 * or {@link io.jvirt.api.VirtException}; {@code io.jvirt.cli.Main} prints them. Runs on the main thread.
 */
public abstract class CliCommand implements Callable<Integer> {
    // picocli injects the parent command when its class is assignable to the field's type, an interface included.
    @ParentCommand
    private CliRoot root;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() {
        checkArguments(spec);
        CliContext context = root.context();
        try {
            run(context);
        } finally {
            context.commandFinished();
        }
        return 0;
    }

    /** The command's name as typed ({@code dominfo}), for messages. */
    protected final String commandName() {
        return spec.name();
    }

    /**
     * Checks what picocli cannot express before anything runs, so that a usage error prints no output.
     *
     * @throws picocli.CommandLine.ParameterException on bad usage
     */
    protected void checkArguments(CommandSpec spec) {}

    /** Does the command's work, printing to {@link CliContext#out()}. */
    protected abstract void run(CliContext context);
}

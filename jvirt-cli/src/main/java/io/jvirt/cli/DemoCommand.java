package io.jvirt.cli;

import picocli.CommandLine.Command;

/**
 * {@code demo}: will walk through jvirt end to end (define, start, migrate a guest) once the embedded driver
 * lands. Runs on the main thread.
 */
@Command(name = "demo", description = "run the jvirt demonstration (not yet implemented)")
public final class DemoCommand extends CliCommand {
    @Override
    protected void run(CliContext context) {
        // TODO: the demo itself, once jvirt-driver exists: run scripts/install-prereqs when root-only
        //  prerequisites are missing, then define, start and show a guest through context.connection().
        throw new CliError("demo not yet implemented");
    }
}

package io.jvirt.cli.command;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The check for an argument that, as in virsh, may be given by position or by its option name ({@code FILE} or
 * {@code --file FILE}), so picocli cannot require either form on its own.
 */
public final class RequiredArg {
    private RequiredArg() {}

    /** The first non-null of {@code positional} and {@code option}, or null. */
    public static String either(String positional, String option) {
        return positional != null ? positional : option;
    }

    /**
     * Fails as virsh does when the argument is absent: {@code command 'save' requires <file> option}.
     *
     * @throws ParameterException when {@code value} is null
     */
    public static void require(CommandSpec spec, String value, String label) {
        if (value == null) {
            throw new ParameterException(
                    spec.commandLine(), "command '" + spec.name() + "' requires " + label + " option");
        }
    }
}

package io.jvirt.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Words picocli's usage errors as virsh words its own ("unknown command: 'foo'", "command 'list' doesn't
 * support option --bogus", "command 'dominfo' requires &lt;domain&gt; option", "unexpected data 'b'"). Pure;
 * any thread.
 */
final class UsageErrors {
    private UsageErrors() {}

    static String message(ParameterException e) {
        CommandLine where = e.getCommandLine();
        boolean topLevel = where == null || where.getParent() == null;
        String command = where == null ? "jvirt" : where.getCommandName();
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().getFirst();
            boolean looksLikeOption = first.startsWith("-") && first.length() > 1;
            if (topLevel) {
                return looksLikeOption
                        ? "unsupported option '" + first + "'. See --help."
                        : "unknown command: '" + first + "'";
            }
            return looksLikeOption
                    ? "command '" + command + "' doesn't support option " + first
                    : "unexpected data '" + first + "'";
        }
        if (e instanceof MissingParameterException missing
                && !missing.getMissing().isEmpty()) {
            return missingMessage(command, topLevel, missing.getMissing());
        }
        return e.getMessage();
    }

    private static String missingMessage(String command, boolean topLevel, List<ArgSpec> missing) {
        ArgSpec first = missing.getFirst();
        if (first instanceof OptionSpec option) {
            if (topLevel) {
                return "option "
                        + String.join(
                                "/",
                                Arrays.stream(option.names())
                                        .map(n -> "'" + n + "'")
                                        .toList()) + " requires an argument";
            }
            return "expected syntax: " + option.longestName() + " " + option.paramLabel();
        }
        return "command '" + command + "' requires " + first.paramLabel() + " option";
    }
}

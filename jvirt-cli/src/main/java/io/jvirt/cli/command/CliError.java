package io.jvirt.cli.command;

import io.jvirt.api.VirtException;
import java.util.ArrayList;
import java.util.List;

/**
 * A failure the CLI reports itself, as virsh's {@code vshError} does: {@code failed to get domain 'x'}, or a
 * headline such as {@code Failed to start domain 'g1'} followed by the {@link VirtException} that caused it.
 * It exists only at the CLI's edge, where {@code io.jvirt.cli.Main} prints every line as {@code error: <line>} and exits 1;
 * the API's one error type stays {@link VirtException}.
 */
public final class CliError extends RuntimeException {
    private final List<String> lines;

    /** A failure with one line of its own. */
    public CliError(String message) {
        super(message);
        this.lines = List.of(message);
    }

    /** A headline naming what failed, then the API's message for why. */
    public CliError(String headline, VirtException cause) {
        super(headline, cause);
        List<String> all = new ArrayList<>();
        all.add(headline);
        all.add(cause.getMessage());
        this.lines = List.copyOf(all);
    }

    /** The lines to print, each after {@code error: }. */
    public List<String> lines() {
        return lines;
    }
}

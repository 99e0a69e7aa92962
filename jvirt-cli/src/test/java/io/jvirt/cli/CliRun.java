package io.jvirt.cli;

import io.jvirt.api.Connection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One captured run of the CLI: exit status, stdout and stderr, and the URIs it tried to open. */
record CliRun(int status, String out, String err, List<String> openedUris) {

    /** Runs {@code args} against {@code connection} with an empty environment. */
    static CliRun of(FakeConnection connection, String... args) {
        return of(uri -> connection, Map.of(), args);
    }

    static CliRun of(Function<String, Connection> opener, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> uris = new ArrayList<>();
        int status = Main.run(
                args,
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                uri -> {
                    uris.add(uri);
                    return opener.apply(uri);
                },
                new HashMap<>(env));
        return new CliRun(status, out.toString(), err.toString(), uris);
    }
}

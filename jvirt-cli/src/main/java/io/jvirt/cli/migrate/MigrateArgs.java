package io.jvirt.cli.migrate;

import java.util.Map;
import java.util.Set;

/**
 * What was given to {@code migrate}, by name or by position: the switches present and the values of the
 * valued options, both keyed by option name without dashes ({@code "live"}, {@code "dname"}). Pure.
 */
public record MigrateArgs(Set<String> switches, Map<String, String> values) {
    public MigrateArgs {
        switches = Set.copyOf(switches);
        values = Map.copyOf(values);
    }

    public boolean has(String switchName) {
        return switches.contains(switchName);
    }

    /** The value of an option, or null when it was not given. */
    public String value(String name) {
        return values.get(name);
    }
}

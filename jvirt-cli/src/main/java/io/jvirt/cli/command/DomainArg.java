package io.jvirt.cli.command;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * The {@code <domain>} argument of a command, given as {@code DOMAIN} or {@code --domain DOMAIN}, and its
 * resolution the way virsh resolves it: as an id if it is a non-negative number, then as a UUID if it has a
 * UUID's length, then as a name; any failure is reported as {@code failed to get domain 'TEXT'}.
 */
public final class DomainArg {
    /** The ways a command accepts a domain to be named; virsh restricts some commands (start: no id). */
    public enum By {
        ID,
        UUID,
        NAME
    }

    private static final int UUID_STRING_LENGTH = 36;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<domain>", description = "domain name, id or uuid")
    private String positional;

    @Option(names = "--domain", paramLabel = "<string>", description = "domain name, id or uuid")
    private String option;

    /** The domain as typed, which is how virsh names it in its messages. */
    public String text() {
        return positional != null ? positional : option;
    }

    /** Fails as virsh does when the argument is absent. */
    void require(CommandSpec spec) {
        if (text() == null) {
            throw new ParameterException(spec.commandLine(), "command '" + spec.name() + "' requires <domain> option");
        }
    }

    /** Resolves by id, UUID or name. */
    public DomainRef lookup(Connection connection) {
        return lookup(connection, text(), EnumSet.allOf(By.class));
    }

    /** Resolves trying only {@code ways}, in virsh's order id, UUID, name. */
    public DomainRef lookup(Connection connection, Set<By> ways) {
        return lookup(connection, text(), ways);
    }

    /**
     * Resolves {@code text} trying only {@code ways}.
     *
     * @throws CliError {@code failed to get domain 'TEXT'} when no way finds it
     */
    public static DomainRef lookup(Connection connection, String text, Set<By> ways) {
        if (ways.contains(By.ID)) {
            Integer id = parseId(text);
            if (id != null) {
                DomainRef found = attempt(() -> connection.lookupById(id));
                if (found != null) {
                    return found;
                }
            }
        }
        if (ways.contains(By.UUID) && text.length() == UUID_STRING_LENGTH) {
            UUID uuid = parseUuid(text);
            if (uuid != null) {
                DomainRef found = attempt(() -> connection.lookupByUuid(uuid));
                if (found != null) {
                    return found;
                }
            }
        }
        if (ways.contains(By.NAME)) {
            DomainRef found = attempt(() -> connection.lookupByName(text));
            if (found != null) {
                return found;
            }
        }
        throw new CliError("failed to get domain '" + text + "'");
    }

    private interface Lookup {
        DomainRef find();
    }

    // virsh discards the driver's error for each way it tries and reports only that none matched.
    private static DomainRef attempt(Lookup lookup) {
        try {
            return lookup.find();
        } catch (VirtException e) {
            return null;
        }
    }

    private static Integer parseId(String text) {
        try {
            int id = Integer.parseInt(text);
            return id >= 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static UUID parseUuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

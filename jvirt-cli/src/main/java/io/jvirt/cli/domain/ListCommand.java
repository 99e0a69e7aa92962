package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.ListFlags;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliCommand;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.VirshFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code list [--all] [--inactive] [--name] [--uuid] [--id] ...}: the domains, as virsh lists them: running
 * ones by id, then inactive ones by name (ignoring case), as an {@code Id Name State} table unless
 * {@code --name}, {@code --uuid} or {@code --id} ask for bare values. Runs on the main thread.
 */
@Command(name = "list", description = "list domains")
public final class ListCommand extends CliCommand {
    @Option(names = "--inactive", description = "list inactive domains")
    private boolean inactive;

    @Option(names = "--all", description = "list inactive & active domains")
    private boolean all;

    @Option(names = "--transient", description = "list transient domains")
    private boolean transientOnly;

    @Option(names = "--persistent", description = "list persistent domains")
    private boolean persistentOnly;

    @Option(names = "--state-running", description = "list domains in running state")
    private boolean stateRunning;

    @Option(names = "--state-paused", description = "list domains in paused state")
    private boolean statePaused;

    @Option(names = "--state-shutoff", description = "list domains in shutoff state")
    private boolean stateShutoff;

    @Option(names = "--state-other", description = "list domains in other states")
    private boolean stateOther;

    @Option(names = "--autostart", description = "list domains with autostart enabled")
    private boolean autostart;

    @Option(names = "--no-autostart", description = "list domains with autostart disabled")
    private boolean noAutostart;

    @Option(names = "--uuid", description = "list uuid's only")
    private boolean uuid;

    @Option(names = "--name", description = "list domain names only")
    private boolean name;

    @Option(names = "--id", description = "list domain IDs only")
    private boolean id;

    @Option(names = "--table", description = "list table (default)")
    private boolean table;

    @Override
    protected void checkArguments(CommandSpec spec) {
        if (table && name) {
            throw new ParameterException(spec.commandLine(), "Options --table and --name are mutually exclusive");
        }
        if (table && id) {
            throw new ParameterException(spec.commandLine(), "Options --table and --id are mutually exclusive");
        }
    }

    @Override
    protected void run(CliContext context) {
        Connection connection = context.connection();
        List<DomainRef> domains = new ArrayList<>(connection.listAllDomains(flags()));
        domains.sort(VIRSH_ORDER);
        if (table || !(uuid || name || id)) {
            context.out().print(table(connection, domains, !context.quiet()));
        } else {
            for (DomainRef domain : domains) {
                printBare(context, domain);
            }
        }
    }

    int flags() {
        int flags = ListFlags.ACTIVE;
        if (inactive || stateShutoff) {
            flags = ListFlags.INACTIVE;
        }
        if (all) {
            flags = ListFlags.ACTIVE | ListFlags.INACTIVE;
        }
        flags |= persistentOnly ? ListFlags.PERSISTENT : 0;
        flags |= transientOnly ? ListFlags.TRANSIENT : 0;
        flags |= autostart ? ListFlags.AUTOSTART : 0;
        flags |= noAutostart ? ListFlags.NO_AUTOSTART : 0;
        flags |= stateRunning ? ListFlags.RUNNING : 0;
        flags |= statePaused ? ListFlags.PAUSED : 0;
        flags |= stateShutoff ? ListFlags.SHUTOFF : 0;
        flags |= stateOther ? ListFlags.OTHER : 0;
        return flags;
    }

    private String table(Connection connection, List<DomainRef> domains, boolean withHeader) {
        List<String> header = uuid ? List.of("Id", "Name", "State", "UUID") : List.of("Id", "Name", "State");
        List<List<String>> rows = new ArrayList<>();
        for (DomainRef domain : domains) {
            DomainStatus status;
            try {
                status = connection.state(domain);
            } catch (VirtException e) {
                continue; // undefined or gone since it was listed, as virsh skips it
            }
            List<String> row =
                    new ArrayList<>(List.of(idText(domain), domain.name(), VirshFormat.state(status.state())));
            if (uuid) {
                row.add(domain.uuid().toString());
            }
            rows.add(row);
        }
        return VirshFormat.table(header, rows, withHeader);
    }

    private void printBare(CliContext context, DomainRef domain) {
        if (id && !uuid && !name && !domain.isActive()) {
            return; // ids alone make sense only for running domains
        }
        List<String> parts = new ArrayList<>();
        if (uuid) {
            parts.add(domain.uuid().toString());
        }
        if (id) {
            parts.add(idText(domain));
        }
        if (name) {
            parts.add(domain.name());
        }
        context.out().println(String.join(" ", parts));
    }

    private static String idText(DomainRef domain) {
        return domain.isActive() ? Integer.toString(domain.id()) : "-";
    }

    private static final Comparator<DomainRef> VIRSH_ORDER = (a, b) -> {
        if (a.isActive() && b.isActive()) {
            return Integer.compare(a.id(), b.id());
        }
        if (!a.isActive() && !b.isActive()) {
            return String.CASE_INSENSITIVE_ORDER.compare(a.name(), b.name());
        }
        return a.isActive() ? -1 : 1;
    };
}

package io.jvirt.cli.migrate;

import io.jvirt.cli.command.CliError;
import io.jvirt.cli.migrate.WatchSettings.TimeoutAction;
import java.util.List;

/**
 * The checks {@code migrate} makes before it migrates, in virsh 11.3's order and words: options that exclude or
 * need each other (before the domain is looked up), then {@code --timeout} and its actions (after). Pure.
 */
final class MigrateChecks {
    private static final List<List<String>> EXCLUSIVE = List.of(
            List.of("live", "offline"),
            List.of("timeout-suspend", "timeout-postcopy"),
            List.of("copy-storage-all", "copy-storage-inc"));
    // {option, the option it needs}
    private static final List<List<String>> REQUIRED = List.of(
            List.of("postcopy-after-precopy", "postcopy"),
            List.of("postcopy-resume", "postcopy"),
            List.of("timeout-postcopy", "postcopy"),
            List.of("persistent-xml", "persistent"),
            List.of("tls-destination", "tls"));

    private MigrateChecks() {}

    /** @throws CliError "Options --a and --b are mutually exclusive", "Option --b is required by option --a" */
    static void combinations(MigrateArgs args) {
        for (List<String> pair : EXCLUSIVE) {
            if (given(args, pair.get(0)) && given(args, pair.get(1))) {
                throw new CliError("Options --" + pair.get(0) + " and --" + pair.get(1) + " are mutually exclusive");
            }
        }
        for (List<String> need : REQUIRED) {
            if (given(args, need.get(0)) && !given(args, need.get(1))) {
                throw new CliError("Option --" + need.get(1) + " is required by option --" + need.get(0));
            }
        }
    }

    /** What the watch does, from {@code --verbose}, {@code --timeout*} and {@code --postcopy-after-precopy}. */
    static WatchSettings watchSettings(MigrateArgs args) {
        String text = args.value("timeout");
        long timeout = text == null ? 0 : VirshNumbers.parseUInt("timeout", text);
        if (timeout > 0 && !args.has("live")) {
            throw new CliError("migrate: Unexpected timeout for offline migration");
        }
        boolean actionGiven = args.has("timeout-suspend") || args.has("timeout-postcopy");
        if (timeout == 0 && actionGiven) {
            throw new CliError("migrate: Unexpected --timeout-* option without --timeout");
        }
        TimeoutAction action = args.has("timeout-postcopy") ? TimeoutAction.POSTCOPY : TimeoutAction.SUSPEND;
        return new WatchSettings(args.has("verbose"), timeout, action, args.has("postcopy-after-precopy"));
    }

    private static boolean given(MigrateArgs args, String name) {
        return args.has(name) || args.value(name) != null;
    }
}

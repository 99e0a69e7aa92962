package io.jvirt.cli.domain;

import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.DomainRef;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * virsh's {@code --live}, {@code --config}, {@code --persistent} and {@code --current} of the device commands, and
 * the {@link DeviceModifyFlags} they make: {@code --persistent} is the configuration plus, while the domain runs,
 * the guest. Main thread.
 */
final class DeviceImpactOptions {
    @Option(names = "--live", description = "affect running domain")
    boolean live;

    @Option(names = "--config", description = "affect next boot")
    boolean config;

    @Option(names = "--persistent", description = "make live change persistent")
    boolean persistent;

    @Option(names = "--current", description = "affect current domain")
    boolean current;

    /** Refuses the combinations virsh refuses, in its words. */
    void check(CommandSpec spec) {
        exclusive(spec, persistent, "persistent", current, "current");
        exclusive(spec, current, "current", live, "live");
        exclusive(spec, current, "current", config, "config");
    }

    /** Whether any option was given (virsh calls the API without flags otherwise). */
    boolean given() {
        return live || config || persistent || current;
    }

    /** The flags for {@code domain}; without any option LIVE, as virsh's flag-less call means. */
    int flags(DomainRef domain) {
        if (!given()) {
            return DeviceModifyFlags.LIVE;
        }
        int flags = (config || persistent ? DeviceModifyFlags.CONFIG : 0) | (live ? DeviceModifyFlags.LIVE : 0);
        if (persistent && domain.isActive()) {
            flags |= DeviceModifyFlags.LIVE;
        }
        return flags;
    }

    private static void exclusive(CommandSpec spec, boolean a, String aName, boolean b, String bName) {
        if (a && b) {
            throw new ParameterException(
                    spec.commandLine(), "Options --" + aName + " and --" + bName + " are mutually exclusive");
        }
    }
}

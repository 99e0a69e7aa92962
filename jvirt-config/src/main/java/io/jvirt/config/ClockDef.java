package io.jvirt.config;

import java.util.Objects;

/** {@code <clock offset='utc'>}; its children (timers) and other attributes are kept in the domain's unknowns. */
public record ClockDef(String offset) {
    /** libvirt's default when a definition has no clock. */
    public static final ClockDef UTC = new ClockDef("utc");

    public ClockDef {
        Objects.requireNonNull(offset, "offset");
    }
}

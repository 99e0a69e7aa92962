package io.jvirt.cli.migrate;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import java.util.function.Function;

/**
 * What {@code migrate} reaches outside the source connection: how it opens the destination
 * ({@link Connections#open} in production) and the clock its watch runs on. Tests bind {@link #CURRENT} around a
 * run to put fakes in their place; nothing else changes it.
 *
 * @param destinations opens the destination connection from {@code desturi}
 */
public record MigrateEnvironment(Function<String, Connection> destinations, Ticker ticker) {
    /** The environment of the current run; unbound means {@link #SYSTEM}. */
    public static final ScopedValue<MigrateEnvironment> CURRENT = ScopedValue.newInstance();

    /** The real one. */
    public static final MigrateEnvironment SYSTEM = new MigrateEnvironment(Connections::open, Ticker.SYSTEM);

    static MigrateEnvironment current() {
        return CURRENT.orElse(SYSTEM);
    }
}

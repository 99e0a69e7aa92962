package io.jvirt.driver.domain;

import io.jvirt.qmp.MigrationStatus;

/**
 * How a wait for QEMU's migration ({@link QemuRun#awaitMigrationStatus}) ended: with a status QEMU reported, or
 * without one because the run ended first or the waiter gave up.
 */
public sealed interface MigrationWaitEnd {
    /** QEMU reported {@code status}: a finished one, or one the waiter asked to stop at. */
    record Reported(MigrationStatus status) implements MigrationWaitEnd {}

    /** The run ended (its QEMU went away) before the migration did. */
    record RunEnded() implements MigrationWaitEnd {}

    /** The waiter's own condition (an abort, a lost peer, a deadline) came true first. */
    record Abandoned() implements MigrationWaitEnd {}

    /** True when QEMU reported {@code status}. */
    default boolean is(MigrationStatus status) {
        return this instanceof Reported r && r.status() == status;
    }

    /** For messages: QEMU's name of the status, or "ended", or "abandoned". */
    default String describe() {
        return switch (this) {
            case Reported r -> r.status().qmpName();
            case RunEnded e -> "ended";
            case Abandoned a -> "abandoned";
        };
    }
}

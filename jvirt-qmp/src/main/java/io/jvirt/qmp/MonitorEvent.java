package io.jvirt.qmp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An asynchronous QMP event. Each carries QEMU's timestamp in microseconds since the epoch. Events the driver
 * acts on have their own record; everything else arrives as {@link Other} with its data as plain Java values.
 */
public sealed interface MonitorEvent {

    long timestampMicros();

    /** The QMP event name, e.g. {@code "STOP"}. */
    String name();

    /** vCPUs stopped. */
    record Stop(long timestampMicros) implements MonitorEvent {
        @Override
        public String name() {
            return "STOP";
        }
    }

    /** vCPUs resumed. */
    record Resume(long timestampMicros) implements MonitorEvent {
        @Override
        public String name() {
            return "RESUME";
        }
    }

    /** The guest shut down (or QEMU was asked to): {@code guest} says who; reason is QEMU's ShutdownCause name. */
    record Shutdown(long timestampMicros, boolean guest, String reason) implements MonitorEvent {
        @Override
        public String name() {
            return "SHUTDOWN";
        }
    }

    /** system_powerdown was requested. */
    record Powerdown(long timestampMicros) implements MonitorEvent {
        @Override
        public String name() {
            return "POWERDOWN";
        }
    }

    /** The machine was reset: {@code guest} says who asked; reason is QEMU's ShutdownCause name. */
    record Reset(long timestampMicros, boolean guest, String reason) implements MonitorEvent {
        @Override
        public String name() {
            return "RESET";
        }
    }

    /**
     * Migration status changed, e.g. {@code "active"}, {@code "completed"}, {@code "failed"} (kept verbatim). QEMU sends
     * it only while the {@code events} migration capability is on.
     */
    record Migration(long timestampMicros, String status) implements MonitorEvent {
        @Override
        public String name() {
            return "MIGRATION";
        }

        /** {@link #status()} as an enum; {@link MigrationStatus#UNKNOWN} for names this build does not know. */
        public MigrationStatus state() {
            return MigrationStatus.fromQmp(status);
        }
    }

    /** A new RAM migration pass began (1-based count). */
    record MigrationPass(long timestampMicros, long pass) implements MonitorEvent {
        @Override
        public String name() {
            return "MIGRATION_PASS";
        }
    }

    /** A detached {@code dump-guest-memory} ended: {@code result} is its final progress; {@code error} is null unless it failed. */
    record DumpCompleted(long timestampMicros, DumpStatus result, String error) implements MonitorEvent {
        @Override
        public String name() {
            return "DUMP_COMPLETED";
        }
    }

    /** Any other event, with its data as plain Java (Map/List/String/Long/Double/Boolean); empty when QEMU sent none. */
    record Other(long timestampMicros, String name, Map<String, Object> data) implements MonitorEvent {
        public Other {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
    }
}

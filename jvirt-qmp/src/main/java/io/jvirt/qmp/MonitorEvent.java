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
        public String name() {
            return "STOP";
        }
    }

    /** vCPUs resumed. */
    record Resume(long timestampMicros) implements MonitorEvent {
        public String name() {
            return "RESUME";
        }
    }

    /** The guest shut down (or QEMU was asked to): {@code guest} says who; reason is QEMU's ShutdownCause name. */
    record Shutdown(long timestampMicros, boolean guest, String reason) implements MonitorEvent {
        public String name() {
            return "SHUTDOWN";
        }
    }

    /** system_powerdown was requested. */
    record Powerdown(long timestampMicros) implements MonitorEvent {
        public String name() {
            return "POWERDOWN";
        }
    }

    /** The machine was reset: {@code guest} says who asked; reason is QEMU's ShutdownCause name. */
    record Reset(long timestampMicros, boolean guest, String reason) implements MonitorEvent {
        public String name() {
            return "RESET";
        }
    }

    /** Migration status changed, e.g. {@code "active"}, {@code "completed"}, {@code "failed"}. */
    record Migration(long timestampMicros, String status) implements MonitorEvent {
        public String name() {
            return "MIGRATION";
        }
    }

    /** A new RAM migration pass began (1-based count). */
    record MigrationPass(long timestampMicros, long pass) implements MonitorEvent {
        public String name() {
            return "MIGRATION_PASS";
        }
    }

    /** Any other event, with its data as plain Java (Map/List/String/Long/Double/Boolean); empty when QEMU sent none. */
    record Other(long timestampMicros, String name, Map<String, Object> data) implements MonitorEvent {
        public Other {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
    }
}

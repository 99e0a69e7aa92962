package io.jvirt.qmp;

import java.io.IOException;
import java.util.Map;

/**
 * A connection to one QEMU's QMP monitor, in Java terms (no JSON here).
 *
 * <p>Threading: every method may be called from any thread, virtual threads included, and concurrently; each
 * command blocks its caller until QEMU's reply arrives or the command timeout passes. Replies are matched to
 * commands by id, so concurrent calls and interleaved events are safe. Events reach the {@link MonitorListener}
 * on a separate dispatch thread, which may call back into the monitor.
 *
 * <p>Failures: an error reply from QEMU is a {@link QmpCommandException}; a monitor that is closed, or whose
 * QEMU went away, fails calls (pending ones at once) with {@link MonitorClosedException}; no reply in time is a
 * {@link MonitorTimeoutException}.
 */
public interface Monitor extends AutoCloseable {

    /** QEMU's version, from the greeting. */
    QemuVersion version();

    /** {@code query-status}. */
    StatusInfo queryStatus() throws IOException;

    /** {@code cont}: resume the guest's vCPUs. */
    void cont() throws IOException;

    /** {@code stop}: pause the guest's vCPUs. */
    void stop() throws IOException;

    /** {@code system_powerdown}: press the ACPI power button (the guest decides). */
    void systemPowerdown() throws IOException;

    /** {@code system_reset}. */
    void systemReset() throws IOException;

    /** {@code quit}: QEMU exits; the monitor is closed afterwards and that is not an error. */
    void quit() throws IOException;

    /**
     * {@code getfd}: passes {@code fd} to QEMU under {@code name}. The name belongs to this connection only.
     * The caller keeps its own copy of the fd and should close it once QEMU has it.
     */
    void getfd(String name, int fd) throws IOException;

    /** {@code closefd}: QEMU closes the fd it received under {@code name}. */
    void closefd(String name) throws IOException;

    /**
     * {@code add-fd}: adds {@code fd} to fd set {@code fdsetId} (a new set when null); {@code opaque} may be null.
     * Fd sets are global to the QEMU process, unlike getfd names.
     */
    AddFdResult addFd(Integer fdsetId, int fd, String opaque) throws IOException;

    /**
     * {@code migrate} {@code {"uri": uri}}: starts an outgoing migration and returns once QEMU has begun it (QEMU 10
     * ignores the old {@code detach}, so none is sent). Follow it with {@link #queryMigrate()} or the
     * {@link MonitorEvent.Migration} events (those need the {@code events} capability). For {@code fd:NAME} the fd
     * must have been passed with {@link #getfd} on this same monitor.
     */
    void migrate(String uri) throws IOException;

    /**
     * {@code migrate-incoming} {@code {"uri": uri}}: starts the incoming side on a QEMU started with
     * {@code -incoming defer}; returns at once, completion shows in {@link #queryMigrate()} or the events.
     */
    void migrateIncoming(String uri) throws IOException;

    /** {@code migrate_cancel}: asks QEMU to cancel the outgoing migration; the status passes cancelling → cancelled. */
    void migrateCancel() throws IOException;

    /** {@code migrate-start-postcopy}: switch a running migration to post-copy (needs the {@code postcopy-ram} capability). */
    void migrateStartPostcopy() throws IOException;

    /**
     * {@code migrate-continue} {@code {"state": state}}: lets a migration paused in {@code state} (with the
     * {@code pause-before-switchover} capability, {@code "pre-switchover"}) go on.
     */
    default void migrateContinue(String state) throws IOException {
        execute("migrate-continue", Map.of("state", state));
    }

    /**
     * {@code query-yank}: whether QEMU still holds the yank instance of its outgoing or incoming migration. QEMU
     * drops it last when it has cleaned up after a migration, which QEMU 10.0 reports as failed before it has.
     */
    default boolean holdsMigrationYank() throws IOException {
        Object instances = execute("query-yank", Map.of()).get("return");
        return instances instanceof java.util.List<?> list
                && list.stream().anyMatch(i -> i instanceof Map<?, ?> m && "migration".equals(m.get("type")));
    }

    /** {@code query-migrate}: status and statistics of the current or last migration. */
    MigrationStats queryMigrate() throws IOException;

    /** {@code query-migrate-parameters}. */
    MigrationParameters queryMigrateParameters() throws IOException;

    /**
     * {@code migrate-set-parameters}: {@code params} map QMP names (e.g. {@code "max-bandwidth"} in bytes/s,
     * {@code "downtime-limit"} in ms) to plain Java values, sent as one flat object (an empty map is a no-op for QEMU).
     */
    void setMigrateParameters(Map<String, Object> params) throws IOException;

    /** {@code query-migrate-capabilities}: every capability QEMU knows, in QEMU's order, with its state. */
    Map<String, Boolean> queryMigrateCapabilities() throws IOException;

    /**
     * {@code migrate-set-capabilities}: one {@code {"capability": name, "state": on}} entry per map entry, in the map's
     * order; states must not be null. QEMU refuses names it does not know and changes while a migration runs.
     */
    void setMigrateCapabilities(Map<String, Boolean> caps) throws IOException;

    /**
     * {@code dump-guest-memory}: writes guest memory to {@code protocol} ({@code "fd:NAME"} after {@link #getfd},
     * or {@code "file:PATH"}). {@code format} is QEMU's DumpGuestMemoryFormat name ({@code "elf"}, {@code "kdump-zlib"},
     * …) or null for QEMU's default (ELF). With {@code detach} the call returns at once and progress shows in
     * {@link #queryDump()} and the {@link MonitorEvent.DumpCompleted} event; without it the call blocks until the
     * dump is written, so the monitor's command timeout must cover the whole dump.
     */
    void dumpGuestMemory(String protocol, boolean paging, String format, boolean detach) throws IOException;

    /** {@code query-dump}: progress of the current or last {@code dump-guest-memory}. */
    DumpStatus queryDump() throws IOException;

    /**
     * Any command. {@code arguments} (may be null or empty) hold plain Java values: Map, List, String, Number,
     * Boolean, null. The reply's {@code "return"} comes back as plain Java: objects as Map, arrays as List,
     * integers as Long (BigInteger beyond the long range), other numbers as Double. A non-object return is wrapped
     * as {@code {"return": value}}.
     */
    Map<String, Object> execute(String command, Map<String, ?> arguments, int... fds) throws IOException;

    /**
     * As {@link #execute}, for a command QEMU may run out of band ({@code exec-oob}, e.g. {@code migrate-recover},
     * {@code migrate-pause}): answered by the monitor's own thread even while QEMU's main loop is blocked, as it is on
     * a post-copy destination whose vCPU waits, holding QEMU's big lock, for a page the broken link no longer brings.
     * In band when QEMU offered no out-of-band execution.
     */
    default Map<String, Object> executeOutOfBand(String command, Map<String, ?> arguments) throws IOException {
        return execute(command, arguments);
    }

    /**
     * A command given as QMP JSON text, {@code {"execute": …, "arguments": …}}, for a user's passthrough
     * ({@code virsh qemu-monitor-command}): the reply comes back as JSON text too, {@code {"return": …}} with QEMU's
     * value as it sent it, or {@code {"error": {"class": …, "desc": …}}}. An error reply is an answer here, not an
     * exception, since it is the user's to read. Other members of the command (an {@code id}) are not sent; the
     * monitor uses its own ids.
     *
     * @throws IllegalArgumentException when {@code commandJson} is not a JSON object naming a command in
     *                                  {@code "execute"}; the message says which
     */
    String executeJson(String commandJson) throws IOException;

    boolean isClosed();

    /** Idempotent. Pending calls fail with {@link MonitorClosedException}; the listener sees onClosed(null). */
    @Override
    void close();
}

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
     * Any command. {@code arguments} (may be null or empty) hold plain Java values: Map, List, String, Number,
     * Boolean, null. The reply's {@code "return"} comes back as plain Java: objects as Map, arrays as List,
     * integers as Long (BigInteger beyond the long range), other numbers as Double. A non-object return is wrapped
     * as {@code {"return": value}}.
     */
    Map<String, Object> execute(String command, Map<String, ?> arguments, int... fds) throws IOException;

    boolean isClosed();

    /** Idempotent. Pending calls fail with {@link MonitorClosedException}; the listener sees onClosed(null). */
    @Override
    void close();
}

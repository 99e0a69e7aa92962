package io.jvirt.guest;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One host as a test looks at it for {@link GuestIntegrity}: a label for messages, a connection to ask for a
 * domain's state and reason, and the host's root, whose status files ({@code run/qemu/NAME.xml}) name the pid of
 * the QEMU that runs a domain. The connection may be embedded, remote or a daemon's own driver; it is the test's
 * to close.
 *
 * @param label      how failure messages name the host ("A", "source", …)
 * @param connection a connection to the host, used only for look-ups
 * @param root       the host's root directory
 */
public record GuestHost(String label, Connection connection, Path root) {
    private static final Pattern PID = Pattern.compile("pid='(\\d+)'");

    /** The domain's state and reason on this host, or empty when the host has no domain of that name. */
    public Optional<DomainStatus> status(String name) {
        try {
            return Optional.of(connection.state(connection.lookupByName(name)));
        } catch (VirtException e) {
            if (e.code() == ErrorCode.NO_DOMAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The pid in the domain's status file, or empty when the host has no status file for it (not running). */
    public OptionalLong qemuPid(String name) {
        Path status = root.resolve("run/qemu/" + name + ".xml");
        try {
            Matcher m = PID.matcher(Files.readString(status));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(status.toString(), e);
        }
    }

    /** Whether a QEMU this host started still runs (see {@link #qemusUnder}). */
    public boolean runsAnyQemu() {
        return !qemusUnder(root).isEmpty();
    }

    /**
     * Pids of the live QEMUs this host started: their command line names the host's {@code run/} directory (the
     * monitor socket lives there). Not just the root: a guest's serial file may sit in another host's root.
     */
    public static List<Long> qemusUnder(Path root) {
        String dir = root.resolve("run") + "/";
        return ProcessHandle.allProcesses()
                .map(ProcessHandle::pid)
                .filter(pid -> {
                    String cmd = commandLine(pid);
                    return cmd.contains("qemu-system") && cmd.contains(dir);
                })
                .toList();
    }

    /** A process's command line, its arguments joined by spaces; empty once the process is gone. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    /**
     * The last {@code lines} lines of the log the host's QEMU for {@code name} wrote ({@code log/qemu/NAME.log}),
     * for failure messages: how a QEMU that should still run ended. Empty when there is no such log.
     */
    public List<String> qemuLogTail(String name, int lines) {
        Path log = root.resolve("log/qemu/" + name + ".log");
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(log.toString(), e);
        }
    }

    @Override
    public String toString() {
        return label + " (" + root + ")";
    }
}

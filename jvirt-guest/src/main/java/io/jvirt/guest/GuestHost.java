package io.jvirt.guest;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    /** Whether a process whose command line names this host's root still runs (a QEMU this host started). */
    public boolean runsAnyQemu() {
        String dir = root.toString();
        return ProcessHandle.allProcesses()
                .anyMatch(p -> p.info().command().orElse("").contains("qemu-system")
                        && String.join(" ", p.info().arguments().orElse(new String[0])).contains(dir));
    }

    @Override
    public String toString() {
        return label + " (" + root + ")";
    }
}

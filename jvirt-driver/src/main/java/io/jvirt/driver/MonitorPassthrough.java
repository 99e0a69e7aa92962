package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.job.SyncJobKind;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import java.io.IOException;

/**
 * {@code virDomainQemuMonitorCommand}: one QMP command given as JSON text ({@code {"execute": …, "arguments": …}})
 * passed to the domain's QEMU, and QEMU's answer given back as JSON text ({@code {"return": …}} or
 * {@code {"error": {"class": …, "desc": …}}}). The JSON itself is the monitor's business
 * ({@link io.jvirt.qmp.Monitor#executeJson}); this class adds the job and libvirt's errors. It runs as a query
 * job, so it works during a migration too.
 *
 * <p>Threading: the caller's thread.
 */
final class MonitorPassthrough {
    private static final int MAX_COMMAND_CHARS = 1 << 20;

    private MonitorPassthrough() {}

    /** {@code VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP}: the command is for the human monitor. */
    static final int HMP = 1;

    /** With {@link #HMP} the command goes through {@code human-monitor-command} and its output text comes back. */
    static String run(DomainObj dom, String command, int flags) {
        if ((flags & ~HMP) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags)
                            + ") in function qemuDomainQemuMonitorCommand");
        }
        if ((flags & HMP) == 0) {
            return run(dom, command);
        }
        try (DomainObj.Job _ =
                dom.beginJob("qemu-monitor-command", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            Object out = dom.requireRun()
                    .monitor()
                    .execute("human-monitor-command", java.util.Map.of("command-line", command))
                    .get("return");
            return out instanceof String text ? text : "";
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "monitor of domain '" + dom.name() + "': " + e.getMessage(),
                    e);
        }
    }

    static String run(DomainObj dom, String command) {
        if (command.length() > MAX_COMMAND_CHARS) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "monitor command is longer than " + MAX_COMMAND_CHARS + " characters");
        }
        try (DomainObj.Job _ =
                dom.beginJob("qemu-monitor-command", SyncJobKind.QUERY, null, DomainLifecycle.JOB_WAIT_MILLIS)) {
            return dom.requireRun().monitor().executeJson(command);
        } catch (IllegalArgumentException e) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "monitor command " + e.getMessage());
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "monitor of domain '" + dom.name() + "': " + e.getMessage(),
                    e);
        }
    }
}

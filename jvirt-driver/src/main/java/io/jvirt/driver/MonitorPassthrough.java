package io.jvirt.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.job.SyncJobKind;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.QmpCommandException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code virDomainQemuMonitorCommand}: one QMP command given as JSON text ({@code {"execute": …, "arguments": …}})
 * passed to the domain's QEMU, and QEMU's answer given back as JSON text ({@code {"return": …}} or
 * {@code {"error": {"class": …, "desc": …}}}). It runs as a query job, so it works during a migration too.
 *
 * <p>Threading: the caller's thread.
 */
final class MonitorPassthrough {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_COMMAND_CHARS = 1 << 20;

    private MonitorPassthrough() {
    }

    static String run(DomainObj dom, String command) {
        if (command.length() > MAX_COMMAND_CHARS) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "monitor command is longer than "
                    + MAX_COMMAND_CHARS + " characters");
        }
        Map<?, ?> request;
        try {
            request = JSON.readValue(command, Map.class);
        } catch (JsonProcessingException e) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "monitor command is not JSON: "
                    + e.getOriginalMessage());
        }
        if (!(request.get("execute") instanceof String execute)) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "monitor command has no \"execute\" name");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        if (request.get("arguments") instanceof Map<?, ?> args) {
            args.forEach((k, v) -> arguments.put(String.valueOf(k), v));
        }
        try (DomainObj.Job _ = dom.beginJob("qemu-monitor-command", SyncJobKind.QUERY, null,
                DomainLifecycle.JOB_WAIT_MILLIS)) {
            Monitor monitor = dom.requireRun().monitor();
            Map<String, Object> reply = new LinkedHashMap<>();
            try {
                reply.put("return", monitor.execute(execute, arguments));
            } catch (QmpCommandException e) {
                reply.put("error", Map.of("class", e.errorClass(), "desc", e.description()));
            } catch (IOException e) {
                throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                        "monitor of domain '" + dom.name() + "': " + e.getMessage(), e);
            }
            return JSON.writeValueAsString(reply);
        } catch (JsonProcessingException e) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "cannot encode QEMU's reply: " + e.getMessage());
        }
    }
}

package io.jvirt.api;

import java.util.HashMap;
import java.util.Map;

/**
 * libvirt's {@code virErrorNumber}: the numbers are wire values and never change. Each code carries the
 * prefix libvirt puts before the detail of a message of that code, so a client prints our errors as it
 * prints libvirt's ({@code "Domain not found: no domain with matching name 'g1'"}).
 */
public enum ErrorCode {
    OK(0, "%s"),
    INTERNAL_ERROR(1, "internal error: %s"),
    NO_MEMORY(2, "out of memory"),
    NO_SUPPORT(3, "this function is not supported by the connection driver: %s"),
    NO_CONNECT(5, "no connection driver available for %s"),
    INVALID_CONN(6, "invalid connection pointer in %s"),
    INVALID_DOMAIN(7, "invalid domain pointer in %s"),
    INVALID_ARG(8, "invalid argument: %s"),
    OPERATION_FAILED(9, "operation failed: %s"),
    OS_TYPE(16, "unknown OS type %s"),
    NO_KERNEL(17, "missing kernel information: %s"),
    XML_ERROR(27, "XML error: %s"),
    DOM_EXIST(28, "operation failed: %s"),
    OPERATION_DENIED(29, "operation forbidden: %s"),
    OPEN_FAILED(30, "failed to open configuration file %s"),
    READ_FAILED(31, "failed to read configuration file %s"),
    PARSE_FAILED(32, "failed to parse configuration file %s"),
    CONF_SYNTAX(33, "configuration file syntax error: %s"),
    WRITE_FAILED(34, "failed to write configuration file: %s"),
    XML_DETAIL(35, "%s"),
    SYSTEM_ERROR(38, "%s"),
    RPC(39, "%s"),
    NO_DOMAIN(42, "Domain not found: %s"),
    AUTH_FAILED(45, "authentication failed: %s"),
    OPERATION_INVALID(55, "Requested operation is not valid: %s"),
    CONFIG_UNSUPPORTED(67, "unsupported configuration: %s"),
    OPERATION_TIMEOUT(68, "Timed out during operation: %s"),
    MIGRATE_PERSIST_FAILED(69, "Failed to make domain persistent after migration: %s"),
    INVALID_STREAM(73, "invalid stream pointer in %s"),
    ARGUMENT_UNSUPPORTED(74, "argument unsupported: %s"),
    OPERATION_ABORTED(78, "operation aborted: %s"),
    NO_DOMAIN_METADATA(80, "metadata not found: %s"),
    MIGRATE_UNSAFE(81, "Unsafe migration: %s"),
    OVERFLOW(82, "numerical overflow: %s"),
    OPERATION_UNSUPPORTED(84, "Operation not supported: %s"),
    RESOURCE_BUSY(87, "resource busy: %s"),
    ACCESS_DENIED(88, "access denied: %s"),
    CPU_INCOMPATIBLE(91, "the CPU is incompatible with host CPU: %s"),
    MIGRATE_FINISH_OK(93, "migration successfully aborted: %s"),
    NO_SERVER(95, "Server not found: %s"),
    NO_CLIENT(96, "Client not found: %s"),
    DEVICE_MISSING(99, "device not found: %s");

    private static final Map<Integer, ErrorCode> BY_WIRE = new HashMap<>();

    static {
        for (ErrorCode c : values()) {
            BY_WIRE.put(c.wire, c);
        }
    }

    private final int wire;
    private final String format;

    ErrorCode(int wire, String format) {
        this.wire = wire;
        this.format = format;
    }

    /** The number libvirt sends for this code. */
    public int wire() {
        return wire;
    }

    /** The full message for a detail, with libvirt's prefix for this code. */
    public String message(String detail) {
        return format.contains("%s") ? format.formatted(detail) : format;
    }

    /** The code for a wire number; unknown numbers map to {@link #INTERNAL_ERROR}. */
    public static ErrorCode fromWire(int wire) {
        return BY_WIRE.getOrDefault(wire, INTERNAL_ERROR);
    }
}

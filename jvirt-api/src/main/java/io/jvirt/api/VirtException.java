package io.jvirt.api;

/**
 * The one error type of jvirt's API. It mirrors libvirt's wire error ({@code remote_error}: code, domain,
 * message, level), so an error crosses the wire without loss and a libvirt client prints it as its own.
 * Variety lives in the {@link ErrorCode}, not in subclasses.
 */
public final class VirtException extends RuntimeException {
    private final ErrorCode code;
    private final ErrorDomain domain;
    private final ErrorLevel level;

    /** An error whose {@code message} is already complete (as received from the wire). */
    public VirtException(ErrorCode code, ErrorDomain domain, ErrorLevel level, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.domain = domain;
        this.level = level;
    }

    /** An error with libvirt's prefix for {@code code} before {@code detail}. */
    public static VirtException of(ErrorCode code, ErrorDomain domain, String detail) {
        return new VirtException(code, domain, ErrorLevel.ERROR, code.message(detail), null);
    }

    /** As {@link #of(ErrorCode, ErrorDomain, String)}, keeping the cause for logs. */
    public static VirtException of(ErrorCode code, ErrorDomain domain, String detail, Throwable cause) {
        return new VirtException(code, domain, ErrorLevel.ERROR, code.message(detail), cause);
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorDomain domain() {
        return domain;
    }

    public ErrorLevel level() {
        return level;
    }
}

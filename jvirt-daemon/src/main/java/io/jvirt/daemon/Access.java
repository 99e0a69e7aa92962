package io.jvirt.daemon;

/** Whether a procedure may run on a read-only connection. */
public enum Access {
    /** Reads state only (or manages the client's own connection, such as event registration). */
    QUERY,
    /** Changes a domain or the host: refused on the read-only socket and on read-only opens. */
    MUTATE
}

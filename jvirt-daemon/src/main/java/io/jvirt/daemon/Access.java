package io.jvirt.daemon;

/** Whether a procedure may run on a read-only connection. */
public enum Access {
    /** Reads state only (or manages the client's own connection, such as event registration). */
    QUERY,
    /**
     * Changes a domain or the host, opens a path or starts a program for the client, or reveals what libvirt keeps
     * from read-only clients (its ACL asks more than read or getattr): refused on the read-only socket and on
     * read-only opens.
     */
    MUTATE
}

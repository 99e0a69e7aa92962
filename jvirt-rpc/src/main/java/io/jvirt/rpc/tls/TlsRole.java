package io.jvirt.rpc.tls;

/** Which end of a TLS connection this side is; libvirt's messages and file names depend on it. */
public enum TlsRole {
    SERVER("server"),
    CLIENT("client");

    private final String prefix;

    TlsRole(String prefix) {
        this.prefix = prefix;
    }

    /** {@code server} or {@code client}, as in {@code servercert.pem} and libvirt's messages. */
    public String prefix() {
        return prefix;
    }

    public TlsRole peer() {
        return this == SERVER ? CLIENT : SERVER;
    }
}

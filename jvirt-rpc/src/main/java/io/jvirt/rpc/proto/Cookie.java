package io.jvirt.rpc.proto;

import java.util.Arrays;

/**
 * A migration cookie: opaque bytes up to {@link RemoteLimits#MIGRATE_COOKIE_MAX}. libvirtd's QEMU driver puts a
 * NUL-terminated XML document in it; this type does not look inside. Compared by content.
 */
public record Cookie(byte[] bytes) {
    public static final Cookie EMPTY = new Cookie(new byte[0]);

    public Cookie {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cookie c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Cookie[" + bytes.length + " bytes]";
    }
}

package io.jvirt.qmp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an NBD server listens, or an NBD client connects: a TCP host and port, or a unix socket. Immutable.
 *
 * @param host     the TCP host (name or address), null for a unix socket
 * @param port     the TCP port, 0 for a unix socket
 * @param unixPath the unix socket's path, null for TCP
 */
public record NbdAddress(String host, int port, String unixPath) {
    public NbdAddress {
        if ((host == null) == (unixPath == null)) {
            throw new IllegalArgumentException("an NBD address is either TCP or unix: " + host + ", " + unixPath);
        }
    }

    public static NbdAddress tcp(String host, int port) {
        return new NbdAddress(Objects.requireNonNull(host, "host"), port, null);
    }

    public static NbdAddress unix(String path) {
        return new NbdAddress(null, 0, Objects.requireNonNull(path, "path"));
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    /** QAPI's flat SocketAddress, as {@code blockdev-add} of an nbd node takes it. */
    Map<String, Object> flat() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (isUnix()) {
            m.put("type", "unix");
            m.put("path", unixPath);
        } else {
            m.put("type", "inet");
            m.put("host", host);
            m.put("port", Integer.toString(port));
        }
        return m;
    }

    /** QAPI's SocketAddressLegacy, which {@code nbd-server-start} still takes. */
    Map<String, Object> legacy() {
        Map<String, Object> data = new LinkedHashMap<>(flat());
        Object type = data.remove("type");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("data", data);
        return m;
    }

    @Override
    public String toString() {
        return isUnix() ? "unix:" + unixPath : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

package io.jvirt.api;

import java.util.ServiceLoader;

/** Opens connections by URI, asking each {@link ConnectionDriver} on the class path in turn. */
public final class Connections {
    /** The URI used when none is given and {@code JVIRT_DEFAULT_URI} is unset: the local daemon. */
    public static final String DEFAULT_URI = "qemu:///system";

    private Connections() {}

    public static Connection open(String uri) {
        ConnectionUri parsed = ConnectionUri.parse(uri);
        for (ConnectionDriver driver : ServiceLoader.load(ConnectionDriver.class)) {
            if (driver.accepts(parsed)) {
                return driver.open(parsed);
            }
        }
        throw VirtException.of(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uri);
    }

    /** The URI to use when the caller names none: {@code $JVIRT_DEFAULT_URI}, else {@link #DEFAULT_URI}. */
    public static String defaultUri() {
        String env = System.getenv("JVIRT_DEFAULT_URI");
        return env == null || env.isBlank() ? DEFAULT_URI : env;
    }
}

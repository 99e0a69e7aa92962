package io.jvirt.config;

import java.util.Objects;

/** {@code <listen type='address' address='127.0.0.1'/>}; {@code address} is null for other types. */
public record GraphicsListen(String type, String address) {
    public GraphicsListen {
        Objects.requireNonNull(type, "type");
    }

    public static GraphicsListen address(String address) {
        return new GraphicsListen("address", address);
    }
}

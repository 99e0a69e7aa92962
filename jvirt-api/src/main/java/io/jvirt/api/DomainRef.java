package io.jvirt.api;

import java.util.UUID;

/**
 * What identifies a domain to a connection, as libvirt's {@code remote_nonnull_domain}: name, UUID and the
 * id of its running instance ({@code -1} while it is inactive).
 */
public record DomainRef(String name, UUID uuid, int id) {
    public boolean isActive() {
        return id >= 0;
    }
}

package io.jvirt.api;

/**
 * libvirt's {@code virDomainEventType}: what happened to a domain, with its wire number. The detail numbers that go
 * with each are in {@link DomainEventDetail}.
 */
public enum DomainEventType {
    DEFINED(0),
    UNDEFINED(1),
    STARTED(2),
    SUSPENDED(3),
    RESUMED(4),
    STOPPED(5),
    SHUTDOWN(6),
    PMSUSPENDED(7),
    CRASHED(8);

    private final int wire;

    DomainEventType(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }
}

package io.jvirt.api;

/** libvirt's {@code virDomainState}: numbers are wire values, names are the status-file strings. */
public enum DomainState {
    NOSTATE(0, "nostate"),
    RUNNING(1, "running"),
    BLOCKED(2, "blocked"),
    PAUSED(3, "paused"),
    SHUTDOWN(4, "shutdown"),
    SHUTOFF(5, "shutoff"),
    CRASHED(6, "crashed"),
    PMSUSPENDED(7, "pmsuspended");

    private final int wire;
    private final String xmlName;

    DomainState(int wire, String xmlName) {
        this.wire = wire;
        this.xmlName = xmlName;
    }

    public int wire() {
        return wire;
    }

    /** The name libvirt writes in status XML ({@code <domstatus state='running'>}). */
    public String xmlName() {
        return xmlName;
    }

    /** True for the states in which a QEMU process exists. */
    public boolean isActive() {
        return this != SHUTOFF && this != NOSTATE;
    }

    public static DomainState fromWire(int wire) {
        for (DomainState s : values()) {
            if (s.wire == wire) {
                return s;
            }
        }
        return NOSTATE;
    }

    public static DomainState fromXmlName(String name) {
        for (DomainState s : values()) {
            if (s.xmlName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown domain state '" + name + "'");
    }
}

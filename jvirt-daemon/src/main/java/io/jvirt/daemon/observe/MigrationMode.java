package io.jvirt.daemon.observe;

/** How a migration this daemon took part in was driven, as its metrics label it. */
public enum MigrationMode {
    /** Source of a peer-to-peer migration: this daemon talked to the destination itself. */
    P2P("p2p"),
    /** Source of a peer-to-peer migration whose data went through the libvirt connection. */
    TUNNELLED("tunnelled"),
    /** Source of a migration whose phases a client (virsh without --p2p) called one by one. */
    CLIENT_MANAGED("client-managed"),
    /** Destination of any migration. */
    INCOMING("incoming");

    private final String label;

    MigrationMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

package io.jvirt.api;

/** {@code virDomainXMLFlags}: wire values, combined with |. */
public final class XmlFlags {
    public static final int SECURE = 1;
    public static final int INACTIVE = 1 << 1;
    public static final int UPDATE_CPU = 1 << 2;
    public static final int MIGRATABLE = 1 << 3;

    private XmlFlags() {}
}

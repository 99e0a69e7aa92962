package io.jvirt.driver.job;

/**
 * libvirt's {@code virDomainJob}: the short state changes and queries that take a domain's job. While an async job
 * runs, only the kinds it {@linkplain AsyncJobKind#allows allows} may start; the others wait for it.
 */
public enum SyncJobKind {
    QUERY(1, "query"),
    DESTROY(2, "destroy"),
    SUSPEND(3, "suspend"),
    MODIFY(4, "modify"),
    ABORT(5, "abort"),
    MIGRATION_OP(6, "migration operation"),
    MODIFY_MIGRATION_SAFE(7, "modify migration safe");

    private final int onDisk;
    private final String xmlName;

    SyncJobKind(int onDisk, String xmlName) {
        this.onDisk = onDisk;
        this.xmlName = xmlName;
    }

    public int onDisk() {
        return onDisk;
    }

    public String xmlName() {
        return xmlName;
    }
}

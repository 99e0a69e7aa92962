package io.jvirt.config;

/**
 * What every device may carry besides its own settings: the {@code <alias name=>} QEMU knows it by (live only,
 * unless it is a user alias starting {@code ua-}) and its {@code <address>}, kept as written. Null when absent.
 */
public record DeviceInfo(String alias, XmlElement address) {
    /** Neither alias nor address. */
    public static final DeviceInfo NONE = new DeviceInfo(null, null);

    /** A user-chosen alias, which libvirt keeps in inactive XML too. */
    public boolean hasUserAlias() {
        return alias != null && alias.startsWith("ua-");
    }

    public DeviceInfo withAlias(String newAlias) {
        return new DeviceInfo(newAlias, address);
    }
}

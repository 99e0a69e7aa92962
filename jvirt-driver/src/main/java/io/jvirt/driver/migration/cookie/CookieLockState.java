package io.jvirt.driver.migration.cookie;

import io.jvirt.config.XmlElement;
import java.util.Objects;

/**
 * A cookie's {@code lockstate} section: the lock manager plugin's name ({@code driver}) and its opaque lease
 * state ({@code leases}), handed from source to destination so the destination can take over the leases.
 * {@code leases} is null when the section came with no state (libvirt treats empty as none).
 */
public record CookieLockState(String driver, String leases) {
    public CookieLockState {
        Objects.requireNonNull(driver, "driver");
        if (leases != null && leases.isEmpty()) {
            leases = null;
        }
    }

    /** A {@code lockstate} section; the driver name is required, the leases are not. */
    static CookieLockState read(XmlElement section) {
        String driver = section.attribute("driver");
        if (driver == null || driver.isEmpty()) {
            throw MigrationCookieXml.fail("Missing lock driver name in migration cookie");
        }
        return new CookieLockState(driver, MigrationCookieXml.childText(section, "leases"));
    }
}

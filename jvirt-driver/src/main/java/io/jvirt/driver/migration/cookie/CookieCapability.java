package io.jvirt.driver.migration.cookie;

import io.jvirt.config.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@code <cap name='...' auto='yes|no'/>} of a cookie's {@code capabilities} section: a QEMU migration
 * capability the sender supports, {@code auto} when the sender always turns it on itself (so the receiver
 * must too). Names are QEMU's capability names ({@code xbzrle}, {@code postcopy-ram}, ...), kept as written:
 * a name this side does not know is the caller's to ignore, as libvirt does.
 */
public record CookieCapability(String name, boolean auto) {
    public CookieCapability {
        Objects.requireNonNull(name, "name");
    }

    /** The {@code cap}s of a {@code capabilities} section, in document order. */
    static List<CookieCapability> readAll(XmlElement section) {
        List<CookieCapability> caps = new ArrayList<>();
        for (XmlElement cap : MigrationCookieXml.children(section, "cap")) {
            String name = cap.attribute("name");
            if (name == null) {
                throw MigrationCookieXml.fail("missing migration capability name");
            }
            caps.add(new CookieCapability(name, "yes".equals(cap.attribute("auto"))));
        }
        return caps;
    }
}

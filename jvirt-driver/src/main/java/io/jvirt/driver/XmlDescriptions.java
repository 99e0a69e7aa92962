package io.jvirt.driver;

import io.jvirt.api.XmlFlags;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.config.FormatFlag;
import io.jvirt.driver.domain.DomainObj;
import java.util.EnumSet;

/**
 * {@code virDomainGetXMLDesc}: which definition a domain's XML shows (the live one while it runs, else or with
 * INACTIVE the persistent one) and in which form (migratable, secrets hidden unless SECURE).
 *
 * <p>Threading: any caller thread; reads the domain under its lock.
 */
final class XmlDescriptions {
    private XmlDescriptions() {}

    static String describe(DomainObj dom, int flags) {
        EnumSet<FormatFlag> format = EnumSet.noneOf(FormatFlag.class);
        DomainDef def = dom.withLock(() -> {
            boolean inactive = (flags & XmlFlags.INACTIVE) != 0 || !dom.isActive();
            if (inactive) {
                format.add(FormatFlag.INACTIVE);
            }
            return inactive && dom.persistentDef() != null ? dom.persistentDef() : dom.def();
        });
        return DomainXml.format(def, withFlags(format, flags));
    }

    /**
     * {@code virDomainSaveImageGetXMLDesc}: the XML a save image carries, parsed (with the protections every XML
     * reader has) and written again as libvirt does, secrets left out unless SECURE.
     */
    static String describeImage(String imageXml, int flags) {
        return DomainXml.format(
                DomainXml.parse(imageXml), withFlags(EnumSet.noneOf(FormatFlag.class), flags & XmlFlags.SECURE));
    }

    private static EnumSet<FormatFlag> withFlags(EnumSet<FormatFlag> format, int flags) {
        if ((flags & XmlFlags.MIGRATABLE) != 0) {
            format.add(FormatFlag.MIGRATABLE);
        }
        if ((flags & XmlFlags.SECURE) == 0) {
            format.add(FormatFlag.HIDE_SECRETS);
        }
        return format;
    }
}

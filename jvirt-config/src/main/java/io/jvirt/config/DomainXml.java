package io.jvirt.config;

import io.jvirt.api.VirtException;
import java.util.Set;

/**
 * Domain XML in and out: libvirt's format for the subset jvirt supports, keeping everything else. Secure
 * (see {@link SecureXml}), stateless and thread-safe; call from any thread.
 *
 * <p>What is kept and where it goes back: unknown children of {@code <domain>} (including {@code <metadata>})
 * after the modelled element they followed; unknown devices in their place among the devices, which keep
 * document order; unknown attributes of modelled elements and of their modelled children; unknown children
 * of modelled elements after the modelled children. Comments are dropped, as libvirt drops them.
 */
public final class DomainXml {
    private DomainXml() {}

    /**
     * Parses a domain definition. A missing uuid (or interface MAC) is generated; {@code id='N'} of live XML
     * is kept (-1 when absent).
     *
     * @throws VirtException XML_DETAIL (domain XML) when the text is not well-formed or has a DOCTYPE;
     *                       INVALID_ARG when it is over {@link SecureXml#MAX_CHARS} or a memory unit is unknown;
     *                       XML_ERROR when a required element is missing or a value is malformed;
     *                       CONFIG_UNSUPPORTED for a valid libvirt setting jvirt does not run (e.g. type='xen')
     */
    public static DomainDef parse(String xml) {
        return DomainXmlParser.parse(xml);
    }

    /** The definition as XML in libvirt's layout, ending in a newline. */
    public static String format(DomainDef def, Set<FormatFlag> flags) {
        return DomainXmlFormatter.format(def, flags);
    }

    /** Live XML: as {@link #format(DomainDef, Set)} with no flags. */
    public static String format(DomainDef def) {
        return format(def, Set.of());
    }
}

package io.jvirt.config;

/**
 * How {@link DomainXml#format} writes a definition. No flag is live XML: {@code id='N'} on {@code <domain>},
 * device aliases, the graphics ports in use, pty paths. In-process only (the wire flags are
 * {@link io.jvirt.api.XmlFlags}).
 */
public enum FormatFlag {
    /** The persistent form: no id, aliases (except user {@code ua-} aliases), chosen ports or pty paths. */
    INACTIVE,
    /**
     * libvirt's migratable form: like {@link #INACTIVE} for live-only data (ports as configured, so an
     * autoport display says {@code port='-1'} and the destination picks its own).
     */
    MIGRATABLE,
    /** Leaves out graphics passwords: the caller maps "no {@code VIR_DOMAIN_XML_SECURE}" to this flag. */
    HIDE_SECRETS
}

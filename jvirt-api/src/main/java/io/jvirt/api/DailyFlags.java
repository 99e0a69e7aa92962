package io.jvirt.api;

/**
 * Flag bits of the everyday domain calls ({@link Connection#setMemory}, {@link Connection#setVcpus},
 * {@link Connection#vcpus}, {@link Connection#setMetadata}), numbered as libvirt's {@code virDomainModificationImpact}
 * and the calls' own flags.
 */
public final class DailyFlags {
    private DailyFlags() {}

    /** {@code VIR_DOMAIN_AFFECT_CURRENT}: the live domain if running, else the configuration. */
    public static final int CURRENT = 0;
    /** {@code VIR_DOMAIN_AFFECT_LIVE}. */
    public static final int LIVE = 1;
    /** {@code VIR_DOMAIN_AFFECT_CONFIG}. */
    public static final int CONFIG = 2;
    /** {@code VIR_DOMAIN_MEM_MAXIMUM}. */
    public static final int MEM_MAXIMUM = 4;
    /** {@code VIR_DOMAIN_VCPU_MAXIMUM}. */
    public static final int VCPU_MAXIMUM = 4;
    /** {@code VIR_DOMAIN_VCPU_GUEST}: the count the guest agent sees. */
    public static final int VCPU_GUEST = 8;
    /** {@code VIR_DOMAIN_VCPU_HOTPLUGGABLE}. */
    public static final int VCPU_HOTPLUGGABLE = 16;

    /** {@code VIR_DOMAIN_METADATA_DESCRIPTION}. */
    public static final int METADATA_DESCRIPTION = 0;
    /** {@code VIR_DOMAIN_METADATA_TITLE}. */
    public static final int METADATA_TITLE = 1;
    /** {@code VIR_DOMAIN_METADATA_ELEMENT}. */
    public static final int METADATA_ELEMENT = 2;
}

package io.jvirt.driver.migration.cookie;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * libvirt's {@code qemuMigrationCookieFlags}: the sections a migration cookie may carry. The bit numbers and
 * names go on the wire (a peer lists mandatory ones as {@code <feature name='...'/>}), so both are explicit and
 * never derived from declaration order. Declared in bit order, so an {@link EnumSet} iterates as libvirt prints.
 */
public enum CookieFeature {
    GRAPHICS(0, "graphics"),
    LOCKSTATE(1, "lockstate"),
    PERSISTENT(2, "persistent"),
    NETWORK(3, "network"),
    NBD(4, "nbd"),
    STATISTICS(5, "statistics"),
    MEMORY_HOTPLUG(6, "memory-hotplug"),
    CPU_HOTPLUG(7, "cpu-hotplug"),
    CPU(8, "cpu"),
    /** Legacy: older libvirt sent an {@code allowReboot} element; current libvirt only knows the name. */
    ALLOW_REBOOT(9, "allowReboot"),
    CAPABILITIES(10, "capabilities"),
    /** The section element is {@code blockDirtyBitmaps}; the feature name differs. */
    BLOCK_DIRTY_BITMAPS(11, "block-dirty-bitmaps");

    private final int bit;
    private final String xmlName;

    CookieFeature(int bit, String xmlName) {
        this.bit = bit;
        this.xmlName = xmlName;
    }

    /** libvirt's bit number; the flag value is {@code 1 << bit}. */
    public int bit() {
        return bit;
    }

    /** The flag value, {@code 1 << bit}. */
    public int mask() {
        return 1 << bit;
    }

    /** The name used in {@code <feature name='...'/>}. */
    public String xmlName() {
        return xmlName;
    }

    /** The feature called {@code name} on the wire, or empty when this side does not know it. */
    public static Optional<CookieFeature> fromName(String name) {
        for (CookieFeature f : values()) {
            if (f.xmlName.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The features whose bits are set in {@code mask}; unknown bits are ignored. */
    public static Set<CookieFeature> fromMask(int mask) {
        EnumSet<CookieFeature> set = EnumSet.noneOf(CookieFeature.class);
        for (CookieFeature f : values()) {
            if ((mask & f.mask()) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    /** The flag value of {@code features}, as libvirt passes it around. */
    public static int toMask(Collection<CookieFeature> features) {
        int mask = 0;
        for (CookieFeature f : features) {
            mask |= f.mask();
        }
        return mask;
    }
}

package io.jvirt.driver.migration.cookie;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One migration cookie, libvirt's {@code qemu-migration} document, as a value: the identity every cookie
 * carries, the features the receiver must understand ({@code mandatory}, sent as {@code <feature/>}
 * elements), and the sections jvirt models. A null section is absent. Sections libvirt defines but jvirt does
 * not model ({@code network}, {@code cpu}, {@code blockDirtyBitmaps}) are never carried.
 * {@link MigrationCookieXml} reads and writes it. Immutable; any thread.
 *
 * @param name          the domain's name (its original name when the destination renames it)
 * @param uuid          the domain's UUID
 * @param hostname      the sending host's name
 * @param hostUuid      the sending host's UUID (the receiver refuses its own)
 * @param mandatory     features the receiver must accept or refuse the cookie
 * @param graphics      display relocation data (Prepare), or null
 * @param lockState     lock manager state (Begin), or null
 * @param persistentXml the persistent {@code <domain>} definition as XML text (Perform with PERSIST_DEST), or
 *                      null
 * @param nbd           storage migration: the disks to copy and the destination's NBD port (Begin, Prepare,
 *                      Perform), or null
 * @param statistics    the completed job's statistics (Perform, Finish), or null
 * @param capabilities  the sender's QEMU migration capabilities (Begin, Prepare), or null when the section is
 *                      absent; empty is a present, empty section
 */
public record MigrationCookie(
        String name,
        UUID uuid,
        String hostname,
        UUID hostUuid,
        Set<CookieFeature> mandatory,
        CookieGraphics graphics,
        CookieLockState lockState,
        String persistentXml,
        CookieNbd nbd,
        CookieStatistics statistics,
        List<CookieCapability> capabilities) {
    public MigrationCookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(hostUuid, "hostUuid");
        mandatory = Collections.unmodifiableSet(
                mandatory.isEmpty() ? EnumSet.noneOf(CookieFeature.class) : EnumSet.copyOf(mandatory));
        capabilities = capabilities == null ? null : List.copyOf(capabilities);
    }

    /** A cookie with the identity only: no mandatory feature, no section. */
    public static MigrationCookie of(String name, UUID uuid, String hostname, UUID hostUuid) {
        return new MigrationCookie(name, uuid, hostname, hostUuid, Set.of(), null, null, null, null, null, null);
    }

    /** This cookie with {@code features} added to the mandatory ones. */
    public MigrationCookie withMandatory(CookieFeature... features) {
        Draft d = new Draft(this);
        d.mandatory.addAll(List.of(features));
        return d.build();
    }

    /** This cookie with a graphics section. */
    public MigrationCookie withGraphics(CookieGraphics g) {
        Draft d = new Draft(this);
        d.graphics = g;
        return d.build();
    }

    /**
     * This cookie with a lock state section, {@code lockstate} made mandatory as libvirt does whenever it adds
     * lock state (a receiver without the same lock manager must refuse).
     */
    public MigrationCookie withLockState(CookieLockState l) {
        Draft d = new Draft(this);
        d.lockState = l;
        d.mandatory.add(CookieFeature.LOCKSTATE);
        return d.build();
    }

    /**
     * This cookie with the persistent definition ({@code <domain>} XML text), {@code persistent} made
     * mandatory as libvirt does: a receiver that would drop it must refuse instead.
     */
    public MigrationCookie withPersistent(String domainXml) {
        Draft d = new Draft(this);
        d.persistentXml = domainXml;
        d.mandatory.add(CookieFeature.PERSISTENT);
        return d.build();
    }

    /** This cookie with an {@code nbd} section. */
    public MigrationCookie withNbd(CookieNbd n) {
        Draft d = new Draft(this);
        d.nbd = n;
        return d.build();
    }

    /** This cookie with a statistics section. */
    public MigrationCookie withStatistics(CookieStatistics s) {
        Draft d = new Draft(this);
        d.statistics = s;
        return d.build();
    }

    /** This cookie with a capabilities section (possibly empty). */
    public MigrationCookie withCapabilities(List<CookieCapability> caps) {
        Draft d = new Draft(this);
        d.capabilities = Objects.requireNonNull(caps, "caps");
        return d.build();
    }

    /** The features this cookie carries: the mandatory ones and every section that is present. */
    public Set<CookieFeature> present() {
        EnumSet<CookieFeature> set = EnumSet.noneOf(CookieFeature.class);
        set.addAll(mandatory);
        if (graphics != null) {
            set.add(CookieFeature.GRAPHICS);
        }
        if (lockState != null) {
            set.add(CookieFeature.LOCKSTATE);
        }
        if (persistentXml != null) {
            set.add(CookieFeature.PERSISTENT);
        }
        if (nbd != null) {
            set.add(CookieFeature.NBD);
        }
        if (statistics != null) {
            set.add(CookieFeature.STATISTICS);
        }
        if (capabilities != null) {
            set.add(CookieFeature.CAPABILITIES);
        }
        return Collections.unmodifiableSet(set);
    }

    /** A changeable copy of a cookie, so each {@code with} method names only what it changes. Confined to one call. */
    private static final class Draft {
        private final MigrationCookie from;
        private final EnumSet<CookieFeature> mandatory = EnumSet.noneOf(CookieFeature.class);
        private CookieGraphics graphics;
        private CookieLockState lockState;
        private String persistentXml;
        private CookieNbd nbd;
        private CookieStatistics statistics;
        private List<CookieCapability> capabilities;

        Draft(MigrationCookie from) {
            this.from = from;
            mandatory.addAll(from.mandatory);
            graphics = from.graphics;
            lockState = from.lockState;
            persistentXml = from.persistentXml;
            nbd = from.nbd;
            statistics = from.statistics;
            capabilities = from.capabilities;
        }

        MigrationCookie build() {
            return new MigrationCookie(
                    from.name,
                    from.uuid,
                    from.hostname,
                    from.hostUuid,
                    mandatory,
                    graphics,
                    lockState,
                    persistentXml,
                    nbd,
                    statistics,
                    capabilities);
        }
    }
}

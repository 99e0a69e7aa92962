package io.jvirt.driver.domain;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * All domains of one driver, by UUID, with lookups by name and id and the allocation of ids. Name and UUID are
 * unique: adding a second domain of the same name with another UUID is refused as libvirt refuses it.
 *
 * <p>Threading: every method takes this registry's monitor briefly; it never calls out while holding it.
 */
public final class DomainRegistry {
    private final Map<UUID, DomainObj> byUuid = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** A snapshot of all domains, sorted by name outside the registry's lock. */
    public List<DomainObj> all() {
        List<DomainObj> list;
        synchronized (this) {
            list = new ArrayList<>(byUuid.values());
        }
        list.sort(Comparator.comparing(DomainObj::name));
        return list;
    }

    public synchronized DomainObj findByUuid(UUID uuid) {
        return byUuid.get(uuid);
    }

    public synchronized DomainObj findByName(String name) {
        for (DomainObj d : byUuid.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    public DomainObj lookupByName(String name) {
        DomainObj d = findByName(name);
        if (d == null) {
            throw VirtException.of(
                    ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching name '" + name + "'");
        }
        return d;
    }

    public DomainObj lookupByUuid(UUID uuid) {
        DomainObj d = findByUuid(uuid);
        if (d == null) {
            throw VirtException.of(
                    ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching uuid '" + uuid + "'");
        }
        return d;
    }

    public synchronized DomainObj lookupById(int id) {
        for (DomainObj d : byUuid.values()) {
            if (id >= 0 && d.id() == id) {
                return d;
            }
        }
        throw VirtException.of(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching id " + id);
    }

    /**
     * Returns the domain that {@code def}'s name and UUID name, creating it (described by {@code def} until it gets
     * a persistent or live definition) if neither is known. A name taken by another UUID, or a UUID known under
     * another name, is refused as libvirt refuses it.
     */
    public synchronized DomainObj findOrAdd(DomainDef def) {
        String name = def.name();
        UUID uuid = def.uuid();
        DomainObj sameUuid = byUuid.get(uuid);
        DomainObj sameName = findByName(name);
        if (sameName != null && sameName != sameUuid) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "domain '" + name + "' already exists with uuid " + sameName.uuid());
        }
        if (sameUuid != null && !sameUuid.name().equals(name)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "domain '" + sameUuid.name() + "' is already defined with uuid " + uuid);
        }
        if (sameUuid != null) {
            return sameUuid;
        }
        DomainObj d = new DomainObj(def);
        byUuid.put(uuid, d);
        return d;
    }

    /** Keeps {@code id}, found in use by a running domain at startup, from being handed out again. */
    public void reserveId(int id) {
        nextId.accumulateAndGet(id + 1, Math::max);
    }

    public synchronized void remove(DomainObj domain) {
        byUuid.remove(domain.uuid(), domain);
    }

    /** A fresh id for a domain being started; ids are never reused while the driver runs. */
    public int allocateId() {
        return nextId.getAndIncrement();
    }
}

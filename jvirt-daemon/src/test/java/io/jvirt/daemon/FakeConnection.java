package io.jvirt.daemon;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainEventListener;
import io.jvirt.api.DomainInfo;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobInfo;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A driver with domains in a map, for frame-level tests. {@link #save} blocks until {@link #saveGate} opens. */
final class FakeConnection implements Connection {
    static final UUID HOST = UUID.fromString("11111111-2222-3333-4444-555555555555");

    final Map<String, DomainRef> domains = new ConcurrentHashMap<>();
    final Map<String, DomainStatus> states = new ConcurrentHashMap<>();
    final List<DomainEventListener> listeners = new CopyOnWriteArrayList<>();
    /** Calls that change nothing the fake keeps, as "reboot g1 2": for tests that a call reached the driver. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    final CountDownLatch saveStarted = new CountDownLatch(1);
    final CountDownLatch saveGate = new CountDownLatch(1);

    DomainRef add(String name, int id) {
        DomainRef d = new DomainRef(name, UUID.nameUUIDFromBytes(name.getBytes()), id);
        domains.put(name, d);
        states.put(name, DomainStatus.of(id >= 0 ? StateReason.RUNNING_BOOTED : StateReason.SHUTOFF_UNKNOWN));
        return d;
    }

    private DomainRef find(DomainRef d) {
        return lookupByName(d.name());
    }

    @Override
    public String uri() {
        return "qemu:///embed?root=/fake";
    }

    @Override
    public String hostname() {
        return "fakehost";
    }

    @Override
    public UUID hostUuid() {
        return HOST;
    }

    @Override
    public String hypervisorType() {
        return "QEMU";
    }

    @Override
    public long hypervisorVersion() {
        return 10_000_002;
    }

    @Override
    public long libVersion() {
        return 1_000;
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        return List.copyOf(domains.values());
    }

    @Override
    public DomainRef lookupByName(String name) {
        DomainRef d = domains.get(name);
        if (d == null) {
            throw VirtException.of(
                    ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching name '" + name + "'");
        }
        return d;
    }

    @Override
    public DomainRef lookupByUuid(UUID uuid) {
        return domains.values().stream()
                .filter(d -> d.uuid().equals(uuid))
                .findFirst()
                .orElseThrow(() -> VirtException.of(
                        ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching uuid '" + uuid + "'"));
    }

    @Override
    public DomainRef lookupById(int id) {
        return domains.values().stream()
                .filter(d -> d.id() == id)
                .findFirst()
                .orElseThrow(() ->
                        VirtException.of(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching id " + id));
    }

    @Override
    public DomainRef defineXml(String xml) {
        return add("defined", -1);
    }

    @Override
    public void undefine(DomainRef domain, int flags) {
        domains.remove(find(domain).name());
    }

    @Override
    public DomainRef createXml(String xml, int flags) {
        return add("created", 7);
    }

    @Override
    public void create(DomainRef domain, int flags) {
        DomainRef d = find(domain);
        domains.put(d.name(), new DomainRef(d.name(), d.uuid(), 3));
        states.put(d.name(), DomainStatus.of(StateReason.RUNNING_BOOTED));
    }

    @Override
    public void destroy(DomainRef domain, int flags) {
        states.put(find(domain).name(), DomainStatus.of(StateReason.SHUTOFF_DESTROYED));
    }

    @Override
    public void shutdown(DomainRef domain, int flags) {
        find(domain);
    }

    @Override
    public DomainStatus awaitShutoff(DomainRef domain, long timeoutMillis) {
        return state(domain);
    }

    @Override
    public void reboot(DomainRef domain, int flags) {
        calls.add("reboot " + find(domain).name() + " " + flags);
    }

    @Override
    public void reset(DomainRef domain, int flags) {
        calls.add("reset " + find(domain).name() + " " + flags);
    }

    @Override
    public void suspend(DomainRef domain) {
        states.put(find(domain).name(), DomainStatus.of(StateReason.PAUSED_USER));
    }

    @Override
    public void resume(DomainRef domain) {
        states.put(find(domain).name(), DomainStatus.of(StateReason.RUNNING_UNPAUSED));
    }

    @Override
    public DomainInfo info(DomainRef domain) {
        return new DomainInfo(state(domain).state(), 262_144, 262_144, 1, 5_000_000);
    }

    @Override
    public DomainStatus state(DomainRef domain) {
        return states.get(find(domain).name());
    }

    @Override
    public String xmlDesc(DomainRef domain, int flags) {
        return "<domain><name>" + find(domain).name() + "</name></domain>";
    }

    @Override
    public boolean isActive(DomainRef domain) {
        return state(domain).state() != DomainState.SHUTOFF;
    }

    @Override
    public boolean isPersistent(DomainRef domain) {
        return true;
    }

    @Override
    public boolean autostart(DomainRef domain) {
        return false;
    }

    @Override
    public void setAutostart(DomainRef domain, boolean autostart) {
        find(domain);
    }

    @Override
    public JobInfo jobInfo(DomainRef domain) {
        find(domain);
        return JobInfo.NONE;
    }

    @Override
    public void save(DomainRef domain, String file, String xml, String imageFormat, int flags) {
        find(domain);
        saveStarted.countDown();
        try {
            saveGate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public AutoCloseable addDomainEventListener(DomainEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public boolean supportsFeature(int feature) {
        return feature == 13;
    }

    @Override
    public void close() {}
}

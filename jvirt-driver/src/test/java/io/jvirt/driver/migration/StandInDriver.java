package io.jvirt.driver.migration;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.driver.QemuDriver;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The migration unit tests' starting point: a driver opened on a fresh root where "g1" runs on a stand-in QEMU
 * ({@link StandInGuest}) whose fake monitor answers query-status and whatever {@code script} adds. Closing it
 * closes the driver, the monitor and the stand-in, in that order.
 */
@SuppressWarnings("try") // close() waits for the stand-in QEMU to end, so it may be interrupted
record StandInDriver(HostRoot root, FakeQmp qmp, Process qemu, Connection conn, DomainRef ref)
        implements AutoCloseable {

    static StandInDriver open(Path dir, UUID uuid, Consumer<FakeQmp> script) throws Exception {
        return open(dir, uuid, "", script);
    }

    /** As {@link #open(Path, UUID, Consumer)} for a guest with {@code devices} (XML, aliases included). */
    static StandInDriver open(Path dir, UUID uuid, String devices, Consumer<FakeQmp> script) throws Exception {
        HostRoot root = new HostRoot(dir.resolve("root")).create();
        FakeQmp qmp = FakeQmp.start();
        qmp.expect("query-status")
                .reply(Map.of("status", "running", "running", true))
                .repeatedly();
        script.accept(qmp);
        Process qemu = StandInGuest.write(root, qmp, uuid, devices);
        Connection conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root);
        return new StandInDriver(root, qmp, qemu, conn, conn.lookupByName("g1"));
    }

    /** A migration capability as query-migrate-capabilities lists it, switched off. */
    static Map<String, Object> cap(String name) {
        return Map.of("capability", name, "state", false);
    }

    @Override
    public void close() throws Exception {
        conn.close();
        qmp.close();
        qemu.destroyForcibly();
        qemu.waitFor(10, TimeUnit.SECONDS);
    }
}

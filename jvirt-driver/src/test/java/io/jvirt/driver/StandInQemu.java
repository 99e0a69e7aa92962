package io.jvirt.driver;

import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.root.AtomicFiles;
import io.jvirt.driver.root.HostRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What an earlier driver leaves behind for a running domain, without a real QEMU: a stand-in process whose argv
 * carries the domain's {@code -uuid} (so the driver's pid check accepts it), a status file pointing at a monitor
 * socket (a FakeQmp's), and optionally a persistent definition.
 */
@SuppressWarnings("try") // close() waits for the process to end, so it may be interrupted
public final class StandInQemu implements AutoCloseable {
    public final UUID uuid;
    public final String name;
    public final Process process;

    public StandInQemu(String name) throws Exception {
        this(name, UUID.randomUUID());
    }

    /** A stand-in for another run of the same domain. */
    public StandInQemu(String name, UUID uuid) throws Exception {
        this.name = name;
        this.uuid = uuid;
        this.process = new ProcessBuilder("sh", "-c", "read line", "stand-in-qemu", "-uuid", uuid.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    public String domainXml(int id) {
        return "<domain type='qemu'" + (id >= 0 ? " id='" + id + "'" : "") + "><name>" + name + "</name><uuid>" + uuid
                + "</uuid><memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>";
    }

    public StandInQemu leaveStatus(HostRoot root, Path monitor, StateReason reason) throws Exception {
        return leaveStatus(root, monitor, reason, null);
    }

    /** A status file as a driver leaves it when it dies during a migration job ({@code job}, or none). */
    public StandInQemu leaveStatus(HostRoot root, Path monitor, StateReason reason, StatusXml.Job job)
            throws Exception {
        AtomicFiles.write(
                root.statusFile(name),
                new StatusXml(reason, process.pid(), monitor, false, job, domainXml(3)).format());
        return this;
    }

    public StandInQemu define(HostRoot root) throws Exception {
        Files.writeString(root.configFile(name), domainXml(-1));
        return this;
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}

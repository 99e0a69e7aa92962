package io.jvirt.driver.migration;

import io.jvirt.api.StateReason;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.root.AtomicFiles;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.testing.FakeQmp;
import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * A running guest "g1" for a driver to find when it opens: a stand-in process as its QEMU (it waits on its stdin)
 * and a status file naming the fake monitor. The caller scripts the monitor and kills the process.
 */
final class StandInGuest {
    private StandInGuest() {}

    static Process write(HostRoot root, FakeQmp qmp, UUID uuid) throws IOException {
        return write(root, qmp, uuid, "");
    }

    /** As {@link #write(HostRoot, FakeQmp, UUID)} with {@code devices} (XML of devices, aliases included). */
    static Process write(HostRoot root, FakeQmp qmp, UUID uuid, String devices) throws IOException {
        Process qemu = new ProcessBuilder("sh", "-c", "read line", "stand-in-qemu", "-uuid", uuid.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        String xml = "<domain type='qemu' id='3'><name>g1</name><uuid>" + uuid
                + "</uuid><memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                + (devices.isEmpty() ? "" : "<devices>" + devices + "</devices>") + "</domain>";
        Files.writeString(root.configFile("g1"), xml.replace(" id='3'", ""));
        AtomicFiles.write(
                root.statusFile("g1"),
                new StatusXml(StateReason.RUNNING_BOOTED, qemu.pid(), qmp.socketPath(), false, xml).format());
        return qemu;
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code virsh migrate} between two jvirtds on this machine (two roots, two host UUIDs): virsh drives the v3-params
 * phases itself (Begin, Prepare, Perform, Finish, Confirm) over both daemons' sockets, polling job info meanwhile.
 */
class MigrationVirshIT {

    private Path base;
    private Daemon source;
    private Daemon destination;

    @BeforeEach
    void startDaemons() throws IOException {
        base = Files.createTempDirectory("jvirtd-mig-");
        source = Daemon.start(DaemonConfig.forRoot(base.resolve("a"), base.resolve("a/run")));
        destination = Daemon.start(DaemonConfig.forRoot(base.resolve("b"), base.resolve("b/run")));
    }

    @AfterEach
    void stopDaemons() throws IOException {
        QemuReaper.stopDaemons(base, source, destination);
    }

    @Test
    void liveMigrationThereAndBack() throws Exception {
        assertThat(source.hostUuid()).isNotEqualTo(destination.hostUuid());
        Virsh a = Virsh.on(source.rwSocket());
        Virsh b = Virsh.on(destination.rwSocket());
        String bUri = "qemu+unix:///system?socket=" + destination.rwSocket();
        String aUri = "qemu+unix:///system?socket=" + source.rwSocket();
        Path xml = base.resolve("g1.xml");
        Files.writeString(xml, GuestXml.named("g1").memoryMiB(256).fillMiB(64)
                .serialFile(base.resolve("g1.serial.log")).image(GuestBuilder.ensureBuilt()).toXml());
        a.run("define", xml.toString());
        assertThat(a.run("start", "g1").exit()).isZero();

        Path eventsOut = base.resolve("events.out");
        Process events = a.command("event", "--loop", "--all", "--timeout", "120")
                .redirectOutput(eventsOut.toFile()).redirectErrorStream(true).start();
        Virsh.Result there;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> source.someClientListensTo(ClientEvents.ID_JOB_COMPLETED));
            there = a.run("migrate", "--live", "--verbose", "g1", bUri);
            assertThat(there.exit()).as(there.err()).isZero();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(eventsOut))
                    .contains("event 'job-completed' for domain 'g1'",
                            "event 'lifecycle' for domain 'g1': Stopped Migrated"));
        } finally {
            events.destroy();
            events.waitFor();
        }
        assertThat(there.err()).contains("Migration: [100.00 %]");
        assertThat(b.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (migrated)");
        assertThat(a.run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (migrated)");
        assertThat(a.run("domjobinfo", "--completed", "g1").out()).containsPattern("Job type:\\s+Completed");

        Virsh.Result back = b.run("migrate", "--live", "--persistent", "--undefinesource", "g1", aUri);
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(a.run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (migrated)");
        assertThat(b.run("list", "--all").out()).doesNotContain("g1");

        assertThat(a.run("destroy", "g1").exit()).isZero();
    }

}

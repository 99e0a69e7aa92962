package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code virsh migrate} between two jvirtds on this machine (two roots, two host UUIDs): virsh drives the v3-params
 * phases itself (Begin, Prepare, Perform, Finish, Confirm) over both daemons' sockets, polling job info meanwhile.
 * Each hop is proven with {@link GuestIntegrity}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MigrationVirshIT {

    private TwoDaemons hosts;
    private VirshHost a;
    private VirshHost b;

    @BeforeEach
    void startDaemons() throws Exception {
        hosts = TwoDaemons.start("jvirtd-mig-");
        a = hosts.a();
        b = hosts.b();
    }

    @AfterEach
    void stopDaemons() throws Exception {
        hosts.close();
    }

    @Test
    void liveMigrationThereAndBack() throws Exception {
        assertThat(hosts.daemon(a).hostUuid()).isNotEqualTo(hosts.daemon(b).hostUuid());
        long t0 = System.nanoTime();
        SerialLog log = hosts.boot(a, "g1", g -> g.memoryMiB(256).fillMiB(64));
        System.out.printf("[it] boot g1: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        Path eventsOut = hosts.base.resolve("events.out");
        Process events = a.virsh()
                .command("event", "--loop", "--all", "--timeout", "120")
                .redirectOutput(eventsOut.toFile())
                .redirectErrorStream(true)
                .start();
        GuestIntegrity there = GuestIntegrity.before(log, "g1", a.guest());
        Virsh.Result toB;
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hosts.daemon(a).someClientListensTo(ClientEvents.ID_JOB_COMPLETED));
            t0 = System.nanoTime();
            toB = a.virsh().run("migrate", "--live", "--verbose", "g1", b.uri());
            System.out.printf("[it] client-managed A->B: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(toB.exit()).as(toB.err()).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Files.readString(eventsOut))
                            .contains(
                                    "event 'job-completed' for domain 'g1'",
                                    "event 'lifecycle' for domain 'g1': Stopped Migrated"));
        } finally {
            events.destroy();
            events.waitFor();
        }
        assertThat(toB.err()).contains("Migration: [100.00 %]");
        assertThat(b.virsh().run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (migrated)");
        assertThat(a.virsh().run("domstate", "--reason", "g1").out().strip()).isEqualTo("shut off (migrated)");
        assertThat(a.virsh().run("domjobinfo", "--completed", "g1").out()).containsPattern("Job type:\\s+Completed");
        there.assertMovedTo(b.guest(), StateReason.RUNNING_MIGRATED).andOn(a.guest(), StateReason.SHUTOFF_MIGRATED);
        hosts.assertNothingStray();

        GuestIntegrity back = GuestIntegrity.before(log, "g1", b.guest());
        t0 = System.nanoTime();
        Virsh.Result toA = b.virsh().run("migrate", "--live", "--persistent", "--undefinesource", "g1", a.uri());
        System.out.printf("[it] client-managed B->A: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(toA.exit()).as(toA.err()).isZero();
        assertThat(a.virsh().run("domstate", "--reason", "g1").out().strip()).isEqualTo("running (migrated)");
        assertThat(b.virsh().run("list", "--all").out()).doesNotContain("g1");
        back.assertMovedTo(a.guest(), StateReason.RUNNING_MIGRATED).andGoneFrom(b.guest());
        hosts.assertNothingStray();

        assertThat(a.virsh().run("destroy", "g1").exit()).isZero();
        hosts.assertNothingStray();
    }
}

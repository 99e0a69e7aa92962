package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A broken post-copy migration resumed with {@code virsh migrate --postcopy-resume}, between two jvirtds on this
 * machine, peer-to-peer and client-managed. The break is {@code virsh domjobabort --postcopy}, which pauses QEMU's
 * post-copy on the source as a lost link does (QMP {@code migrate-pause}) while both QEMUs live on: the source is left
 * paused (post-copy failed), the destination running (post-copy failed), each with half of the guest. The resume
 * reconnects them ({@code migrate-recover} there, {@code migrate} with {@code resume} here) and the guest must end
 * running (migrated) on the destination, whole ({@link GuestIntegrity}). One guest is booted for the class and goes
 * there and back. Resumes libvirt refuses are refused with its errors.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostcopyResumeVirshIT {
    private static final String NAME = "resume";

    private TwoDaemons hosts;
    private VirshHost here;
    private VirshHost there;
    private SerialLog log;

    @BeforeAll
    void bootGuest() throws Exception {
        hosts = TwoDaemons.start("jvirtd-pcresume-");
        here = hosts.a();
        there = hosts.b();
        long t0 = System.nanoTime();
        log = GuestBoot.boot(
                here.virsh(),
                hosts.base,
                NAME,
                serial -> TwoDaemons.guestXml(
                        NAME, serial, g -> g.memoryMiB(256).fillMiB(64).dirtyMibps(8)));
        System.out.printf("[it] boot %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopAll() throws Exception {
        hosts.close();
    }

    @Test
    @Order(1)
    void aResumeOfAGuestNotInPostcopyIsRefused() throws Exception {
        GuestIntegrity stays = GuestIntegrity.before(log, NAME, here.guest());

        // (Without --postcopy virsh refuses by itself; MigrationOptionsRefusalTest has the daemon's refusal.)
        Virsh.Result notFailed = here.virsh().run(arguments(true, "--postcopy", "--postcopy-resume"));

        assertThat(notFailed.err())
                .contains("error: Requested operation is not valid: migration of domain " + NAME
                        + " is not in post-copy phase");
        assertThat(here.domstate(NAME)).startsWith("running");
        stays.assertStayed(here.guest().status(NAME).orElseThrow().reason()).andGoneFrom(there.guest());
        hosts.assertNothingStray();
    }

    @Test
    @Order(2)
    void peerToPeerResumeAfterThePostcopyWasPaused() throws Exception {
        resumeAfterPause(true);
    }

    @Test
    @Order(3)
    void clientManagedResumeAfterThePostcopyWasPaused() throws Exception {
        resumeAfterPause(false);
    }

    /**
     * Migrates with post-copy from {@link #here} to {@link #there}, pauses the post-copy half-way, checks what each
     * side shows, then resumes it and checks the guest arrived whole.
     */
    private void resumeAfterPause(boolean p2p) throws Exception {
        boolean sourcePersistent = here.virsh().run("dominfo", NAME).out().matches("(?s).*Persistent:\\s+yes.*");
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, here.guest());
        long t0 = System.nanoTime();
        // Slow both phases, so that the pause comes while post-copy still has pages to send.
        Process migrate = here.virsh()
                .command(arguments(p2p, "--postcopy", "--bandwidth", "8", "--postcopy-bandwidth", "4", "--persistent"))
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> JobInfo.processedMiB(
                                    here.virsh().run("domjobinfo", NAME).out())
                            > 4);
            Virsh.Result switched = here.virsh().run("migrate-postcopy", NAME);
            assertThat(switched.exit()).as(switched.all()).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> here.domstate(NAME).equals("paused (post-copy)"));
            // The guest runs on the destination already, as after any switch a user sees through.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> there.domstate(NAME).equals("running (post-copy)"));

            Virsh.Result paused = here.virsh().run("domjobabort", "--postcopy", NAME);

            assertThat(paused.exit()).as(paused.all()).isZero();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(migrate.exitValue())
                    .as("the interrupted migration fails")
                    .isNotZero();
            assertThat(output(migrate)).contains("failed in post-copy phase");
        } finally {
            migrate.destroyForcibly();
        }
        assertThat(here.domstate(NAME)).isEqualTo("paused (post-copy failed)");
        assertThat(there.domstate(NAME)).isEqualTo("running (post-copy failed)");

        Virsh.Result again = here.virsh().run(arguments(p2p, "--postcopy", "--postcopy-resume", "--persistent"));

        assertThat(again.exit()).as(again.all()).isZero();
        System.out.printf(
                "[it] post-copy paused and resumed (%s): %.2f s%n",
                p2p ? "p2p" : "client-managed", (System.nanoTime() - t0) / 1e9);
        assertThat(there.domstate(NAME)).isEqualTo("running (migrated)");
        assertThat(there.virsh().run("dominfo", NAME).out()).containsPattern("Persistent:\\s+yes");
        if (sourcePersistent) {
            assertThat(here.domstate(NAME)).isEqualTo("shut off (migrated)");
            whole.assertMovedTo(there.guest(), StateReason.RUNNING_MIGRATED)
                    .andOn(here.guest(), StateReason.SHUTOFF_MIGRATED);
            // The next hop must find no stale definition of the guest where it goes.
            assertThat(here.virsh().run("undefine", NAME).exit()).isZero();
        } else {
            whole.assertMovedTo(there.guest(), StateReason.RUNNING_MIGRATED).andGoneFrom(here.guest());
        }
        hosts.assertNothingStray();
        VirshHost h = here;
        here = there;
        there = h;
    }

    private String[] arguments(boolean p2p, String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "--live"));
        if (p2p) {
            args.add("--p2p");
        }
        args.addAll(Arrays.asList(extra));
        args.add(NAME);
        args.add(there.uri());
        return args.toArray(String[]::new);
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

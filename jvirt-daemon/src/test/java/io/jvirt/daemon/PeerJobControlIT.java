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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Steering a running migration from the source with the stock virsh, in each way virsh can migrate: peer to peer
 * (the source daemon drives), peer to peer tunnelled, and client-managed (virsh drives both daemons). While the
 * migration runs slowly: its progress, its speed and downtime limits changed on the fly and QEMU following them,
 * and suspend, which makes an unconverged migration finish; or domjobabort, which leaves the guest where it was
 * and lets the next migration through. One guest, rewriting its memory faster than it is sent, goes back and
 * forth between the two daemons; {@link GuestIntegrity} proves it whole after each migration and each abort.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerJobControlIT {
    private static final String NAME = "hot";

    /** Who drives the migration; the virsh options that select it. */
    enum Mode {
        P2P("--p2p"),
        TUNNELLED("--p2p", "--tunnelled"),
        CLIENT;

        final List<String> options;

        Mode(String... options) {
            this.options = List.of(options);
        }
    }

    private TwoDaemons hosts;
    private VirshHost here;
    private VirshHost there;
    private SerialLog log;

    @BeforeAll
    void start() throws Exception {
        hosts = TwoDaemons.start("jvirtd-p2pjob-");
        here = hosts.a();
        there = hosts.b();
        long t0 = System.nanoTime();
        // The guest's own sweep share: at 90 % its dirtying would get a tenth of the CPU and no longer outpace
        // the transfer, which the steering below relies on.
        log = hosts.boot(
                here,
                NAME,
                TwoDaemons.DEFAULT_SWEEP_PERCENT,
                g -> g.memoryMiB(256).fillMiB(128).dirtyMibps(200));
        System.out.printf("[it] boot %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stop() throws Exception {
        hosts.close();
    }

    /**
     * libvirt leaves a live guest's state alone when its migration is aborted before QEMU paused it (only a guest
     * paused for the switch-over is resumed, as "running (migration canceled)"), so the reason stays what it was.
     * PeerMigrationVirshIT aborts a tunnelled migration; here the other two ways.
     */
    @ParameterizedTest
    @EnumSource(
            value = Mode.class,
            names = {"P2P", "CLIENT"})
    @Order(10)
    void domjobabortKeepsTheGuestHereAndTheNextMigrationGoesThrough(Mode mode) throws Exception {
        String stateBefore = here.domstate(NAME);
        assertThat(stateBefore).startsWith("running (");
        StateReason reasonBefore = here.guest().status(NAME).orElseThrow().reason();
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, here.guest());
        Process migrate = start(mode, "--bandwidth", "8");
        String out;
        try {
            awaitProgress();
            assertThat(there.names()).as("the destination is being prepared").contains(NAME);
            Virsh.Result abort = here.virsh().run("domjobabort", NAME);
            assertThat(abort.exit()).as(abort.all()).isZero();
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = output(migrate);
        } finally {
            migrate.destroyForcibly();
        }
        System.out.println("[it] domjobabort " + mode + ": " + out.strip());
        assertThat(migrate.exitValue()).as(out).isNotZero();
        assertThat(out).contains("error: operation aborted: job 'migration out' canceled by client");
        assertThat(here.domstate(NAME)).isEqualTo(stateBefore);
        assertThat(here.virsh().run("domjobinfo", NAME).out()).containsPattern("Job type:\\s+None");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(there.names()).doesNotContain(NAME));
        whole.assertStayed(reasonBefore).andGoneFrom(there.guest());
        hosts.assertNothingStray();

        // The next migration in the same mode goes through; virsh's timeout suspends the guest so it converges.
        GuestIntegrity onward = GuestIntegrity.before(log, NAME, here.guest());
        long t0 = System.nanoTime();
        Virsh.Result next = here.virsh().run(arguments(mode, "--timeout", "3", "--timeout-suspend"));
        assertThat(next.exit()).as(next.all()).isZero();
        System.out.printf(
                "[it] migration after the abort, %s %s->%s: %.2f s%n",
                mode, here.label(), there.label(), (System.nanoTime() - t0) / 1e9);
        swap();
        assertArrived(onward);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(20)
    void speedDowntimeAndSuspendSteerARunningMigration(Mode mode) throws Exception {
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, here.guest());
        long t0 = System.nanoTime();
        Process migrate = start(mode, "--bandwidth", "8");
        try {
            awaitProgress();
            assertThat(here.virsh().run("migrate-setspeed", NAME, "4").exit()).isZero();
            assertThat(here.virsh().run("migrate-getspeed", NAME).out().strip()).isEqualTo("4");
            assertThat(here.virsh().run("migrate-setmaxdowntime", NAME, "700").exit())
                    .isZero();
            assertThat(here.virsh().run("migrate-getmaxdowntime", NAME).out().strip())
                    .isEqualTo("700");
            // QEMU's figure follows the new limit within a few of its measuring intervals.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> JobInfo.bandwidthMiB(
                                    here.virsh().run("domjobinfo", NAME).out())
                            <= 5.0);
            double processed =
                    JobInfo.processedMiB(here.virsh().run("domjobinfo", NAME).out());
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> JobInfo.processedMiB(
                                    here.virsh().run("domjobinfo", NAME).out())
                            > processed);

            assertThat(here.virsh().run("migrate-setspeed", NAME, "200").exit()).isZero();
            assertThat(here.virsh().run("suspend", NAME).exit()).isZero();
            assertThat(here.domstate(NAME)).isEqualTo("paused (migrating)");
            assertThat(migrate.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(migrate.exitValue()).as(output(migrate)).isZero();
        } finally {
            migrate.destroyForcibly();
        }
        System.out.printf(
                "[it] steered %s %s->%s: %.2f s%n", mode, here.label(), there.label(), (System.nanoTime() - t0) / 1e9);
        VirshHost from = here;
        swap();
        assertArrived(whole);
        assertThat(from.names()).doesNotContain(NAME);
    }

    private Process start(Mode mode, String... extra) throws Exception {
        return here.virsh()
                .command(arguments(mode, extra))
                .redirectErrorStream(true)
                .start();
    }

    /** {@code migrate --live <mode> --persistent --undefinesource extra... hot there}: nothing stays behind. */
    private String[] arguments(Mode mode, String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "--live"));
        args.addAll(mode.options);
        args.addAll(List.of("--persistent", "--undefinesource"));
        args.addAll(Arrays.asList(extra));
        args.add(NAME);
        args.add(there.uri());
        return args.toArray(String[]::new);
    }

    private void awaitProgress() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> here.virsh()
                        .run("domjobinfo", NAME)
                        .out()
                        .matches("(?s).*Job type:\\s+Unbounded.*Memory processed:\\s+[1-9].*"));
    }

    private void swap() {
        VirshHost h = here;
        here = there;
        there = h;
    }

    /** The guest is here (the hosts swapped) and running (migrated), whole, and gone from where it was. */
    private void assertArrived(GuestIntegrity whole) throws Exception {
        assertThat(here.domstate(NAME)).isEqualTo("running (migrated)");
        whole.assertMovedTo(here.guest(), StateReason.RUNNING_MIGRATED).andGoneFrom(there.guest());
        hosts.assertNothingStray();
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

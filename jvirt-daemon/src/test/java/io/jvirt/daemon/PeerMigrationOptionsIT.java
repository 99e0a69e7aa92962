package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainMigration;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import io.jvirt.remote.RemoteConnection;
import io.jvirt.remote.RemoteOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@code virsh migrate} option that changes a peer-to-peer migration, over native p2p and over p2p
 * tunnelled, between two jvirtds on this machine. One ticking guest (with a SPICE display, for
 * {@code --graphicsuri}) is booted once and goes back and forth: each hop starts where the previous one ended.
 * Each hop is checked as a user would: virsh's exit, the states on both hosts, and {@link GuestIntegrity}'s proof
 * that the guest came through whole (old QEMU gone, two sweeps of its memory since, ticks on, never rebooted).
 * Combinations libvirt refuses are refused the same way (libvirt's error code and message as virsh prints them),
 * and the guest keeps running in the same QEMU where it was.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerMigrationOptionsIT {
    private static final String NAME = "opt";

    /** How the memory travels; the virsh options that select it. */
    enum Mode {
        NATIVE("--p2p"),
        TUNNELLED("--p2p", "--tunnelled");

        final List<String> options;

        Mode(String... options) {
            this.options = List.of(options);
        }
    }

    private TwoDaemons hosts;
    private VirshHost here;
    private VirshHost there;
    private String name = NAME;
    private SerialLog log;

    @BeforeAll
    void bootGuest() throws Exception {
        hosts = TwoDaemons.start("jvirtd-p2popt-");
        here = hosts.a();
        there = hosts.b();
        long t0 = System.nanoTime();
        log = GuestBoot.boot(
                here.virsh(),
                hosts.base,
                NAME,
                serial -> TwoDaemons.guestXml(
                                NAME, serial, g -> g.memoryMiB(256).fillMiB(64).dirtyMibps(8))
                        .replace(
                                "</devices>",
                                "  <graphics type='spice' autoport='yes' listen='127.0.0.1'/>\n  </devices>"));
        System.out.printf("[it] boot %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopAll() throws Exception {
        hosts.close();
    }

    // --- persistence of the definitions ---

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(10)
    void persistentDefinesTheGuestThereAndTheSourceKeepsItsDefinition(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity whole = hop("persistent " + mode, mode, "--persistent");
        assertThat(to.domstate(name)).isEqualTo("running (migrated)");
        assertThat(to.virsh().run("dominfo", name).out()).containsPattern("Persistent:\\s+yes");
        assertThat(from.domstate(name)).isEqualTo("shut off (migrated)");
        whole.assertMovedTo(to.guest(), StateReason.RUNNING_MIGRATED).andOn(from.guest(), StateReason.SHUTOFF_MIGRATED);
        hosts.assertNothingStray();
        assertThat(from.virsh().run("dominfo", name).out()).containsPattern("Persistent:\\s+yes");
        // The next hop must find no stale definition of the guest where it goes.
        assertThat(from.virsh().run("undefine", name).exit()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(20)
    void undefinesourceAloneLeavesATransientGuestAndNothingBehind(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        // The first run starts from a persistent guest, the second from the transient one the first left.
        GuestIntegrity whole = hop("undefinesource " + mode, mode, "--undefinesource");
        assertThat(to.virsh().run("dominfo", name).out()).containsPattern("Persistent:\\s+no");
        assertGone(from, name);
        assertRunningMigrated(to, from, whole);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(30)
    void suspendLeavesTheGuestPausedOnArrival(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity whole = hop("suspend " + mode, mode, "--persistent", "--undefinesource", "--suspend");
        assertThat(to.domstate(name)).isEqualTo("paused (user)");
        assertThat(to.virsh().run("dominfo", name).out()).containsPattern("Persistent:\\s+yes");
        assertGone(from, name);
        whole.awaitPreviousQemuExit();
        long pausedAt = log.latest().orElseThrow().tick();
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> log.latest().orElseThrow().tick() == pausedAt);
        // Resumed first: the proof needs a guest that runs.
        assertThat(to.virsh().run("resume", name).exit()).isZero();
        assertThat(to.domstate(name)).isEqualTo("running (unpaused)");
        whole.assertMovedTo(to.guest(), StateReason.RUNNING_UNPAUSED).andGoneFrom(from.guest());
        hosts.assertNothingStray();
    }

    // --- tuning of the transfer ---

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(40)
    void autoConvergeWithItsTuning(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity whole = GuestIntegrity.before(log, name, from.guest());
        long t0 = System.nanoTime();
        // Slower than the guest dirties, so QEMU throttles it; once seen, the limit goes and the migration ends.
        Process migrate = start(
                mode,
                "--persistent",
                "--undefinesource",
                "--auto-converge",
                "--auto-converge-initial",
                "30",
                "--auto-converge-increment",
                "15",
                "--bandwidth",
                "8");
        String seen;
        try {
            seen = await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () -> from.virsh().run("domjobinfo", name).out(),
                            info -> info.matches("(?s).*Auto converge throttle:\\s+[1-9]\\d*.*"));
            System.out.println("[it] auto-converge " + mode + " throttling: "
                    + seen.lines()
                            .filter(l -> l.startsWith("Auto converge throttle:"))
                            .findFirst()
                            .orElseThrow()
                            .strip());
            assertThat(from.virsh().run("migrate-setspeed", name, "200").exit()).isZero();
            assertThat(migrate.waitFor(120, TimeUnit.SECONDS))
                    .as("virsh migrate still runs")
                    .isTrue();
            assertThat(migrate.exitValue()).as(output(migrate)).isZero();
        } finally {
            migrate.destroyForcibly();
        }
        System.out.printf(
                "[it] auto-converge %s %s->%s: %.2f s%n",
                mode, here.label(), there.label(), (System.nanoTime() - t0) / 1e9);
        swap();
        assertGone(from, name);
        assertRunningMigrated(to, from, whole);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(50)
    void compressedUsesXbzrleAndReportsItsCache(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        // Natively the bare flag (xbzrle with QEMU's default cache); tunnelled the method and cache size named.
        String[] extra = mode == Mode.NATIVE
                ? new String[] {"--persistent", "--undefinesource", "--compressed"}
                : new String[] {
                    "--persistent",
                    "--undefinesource",
                    "--compressed",
                    "--comp-methods",
                    "xbzrle",
                    "--comp-xbzrle-cache",
                    String.valueOf(32L << 20)
                };
        GuestIntegrity whole = hop("compressed " + mode, mode, extra);
        assertGone(from, name);
        assertRunningMigrated(to, from, whole);
        String completed = to.virsh().run("domjobinfo", "--completed", name).out();
        System.out.println("[it] domjobinfo --completed after compressed " + mode + ":\n" + completed);
        assertThat(JobInfo.mib(completed, "Compression cache")).as(completed).isPresent();
        if (mode == Mode.TUNNELLED) {
            assertThat(JobInfo.mib(completed, "Compression cache").getAsDouble())
                    .isEqualTo(32.0);
        }
    }

    @Test
    @Order(60)
    void parallelIsRefusedTunnelledAndWorksNatively() throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity stays = GuestIntegrity.before(log, name, here.guest());
        Virsh.Result refused = migrate(
                Mode.TUNNELLED, "--persistent", "--undefinesource", "--parallel", "--parallel-connections", "2");
        assertThat(refused.exit()).isNotZero();
        // libvirt's client library refuses it before any call (VIR_ERR_INVALID_ARG, printed without a prefix).
        assertThat(refused.err())
                .contains("error: Flags 'VIR_MIGRATE_TUNNELLED' and 'VIR_MIGRATE_PARALLEL' are mutually exclusive");
        assertStillHere(stays);

        // QEMU's own count of what its multifd channels sent, read on the source while the migration runs.
        GuestIntegrity whole = GuestIntegrity.before(log, name, from.guest());
        DomainRef source = from.connection().lookupByName(name);
        long t0 = System.nanoTime();
        Process migrate = start(
                Mode.NATIVE,
                "--persistent",
                "--undefinesource",
                "--parallel",
                "--parallel-connections",
                "2",
                "--bandwidth",
                "16");
        long multifd = 0;
        try {
            while (migrate.isAlive()) {
                multifd = Math.max(multifd, multifdBytes(from, source));
                migrate.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertThat(migrate.exitValue()).as(output(migrate)).isZero();
        } finally {
            migrate.destroyForcibly();
        }
        System.out.printf(
                "[it] parallel NATIVE %s->%s: %.2f s, multifd-bytes %d%n",
                here.label(), there.label(), (System.nanoTime() - t0) / 1e9, multifd);
        swap();
        assertThat(multifd)
                .as("bytes QEMU sent over its multifd channels (query-migrate ram.multifd-bytes)")
                .isGreaterThan(0);
        assertGone(from, name);
        assertRunningMigrated(to, from, whole);
    }

    /**
     * virsh never sends tunnelled + parallel (libvirt's client library refuses it, above); a client that does not
     * check, such as jvirt's own, must get the same refusal from jvirt rather than a failure inside QEMU.
     */
    @Test
    @Order(61)
    void parallelTunnelledIsRefusedForJvirtsOwnClientToo() throws Exception {
        GuestIntegrity stays = GuestIntegrity.before(log, name, here.guest());
        try (RemoteConnection src = RemoteConnection.open(here.uri(), RemoteOptions.DEFAULTS)) {
            DomainRef dom = src.lookupByName(name);
            long flags = MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.TUNNELLED | MigrateFlags.PARALLEL;
            assertThatThrownBy(() -> DomainMigration.migrateToUri(src, dom, there.uri(), List.of(), flags))
                    .isInstanceOfSatisfying(VirtException.class, e -> {
                        System.out.println(
                                "[it] jvirt client, tunnelled + parallel: " + e.code() + ": " + e.getMessage());
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
                        assertThat(e.getMessage())
                                .contains(
                                        "Flags 'VIR_MIGRATE_TUNNELLED' and 'VIR_MIGRATE_PARALLEL' are mutually exclusive");
                    });
        }
        assertStillHere(stays);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(70)
    void bandwidthCapsTheTransferRate(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        int limit = 48;
        long t0 = System.nanoTime();
        GuestIntegrity whole = hop(
                "bandwidth " + limit + " " + mode,
                mode,
                "--persistent",
                "--undefinesource",
                "--bandwidth",
                String.valueOf(limit));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertRunningMigrated(to, from, whole);
        double mib = JobInfo.processedMiB(
                to.virsh().run("domjobinfo", "--completed", name).out());
        System.out.printf("[it] bandwidth %d %s: %.0f MiB in %.2f s%n", limit, mode, mib, seconds);
        assertThat(mib).as("the guest's filled memory was sent").isGreaterThan(64);
        assertThat(mib / seconds)
                .as("average rate over the whole command, MiB/s")
                .isLessThan(limit * 1.1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(80)
    void dnameRenamesTheGuestThereAndBack(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        String newName = mode == Mode.NATIVE ? NAME + "-renamed" : NAME;
        GuestIntegrity whole =
                hop("dname " + newName + " " + mode, mode, "--persistent", "--undefinesource", "--dname", newName);
        String oldName = name;
        name = newName;
        assertGone(from, oldName);
        assertThat(to.names()).containsExactly(newName);
        // GuestIntegrity follows one name: the old QEMU's exit under the old one, then the new name's QEMU, which
        // must be the one that keeps running while the guest proves itself whole.
        whole.awaitPreviousQemuExit();
        assertThat(to.domstate(name)).isEqualTo("running (migrated)");
        GuestIntegrity.before(log, name, to.guest())
                .assertStayed(StateReason.RUNNING_MIGRATED)
                .andGoneFrom(from.guest());
        hosts.assertNothingStray();
    }

    /**
     * {@code --xml} replaces the live definition the guest arrives with. The persistent one it gets with
     * {@code --persistent} is the source's own, as in libvirt (the cookie's persistent section), unless
     * {@code --persistent-xml} names another: the tunnelled run gives the same file to both.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(90)
    void xmlReplacesTheDescriptionAndTitle(Mode mode) throws Exception {
        VirshHost to = there;
        String live = here.virsh().run("dumpxml", "--migratable", name).out();
        assertThat(live).contains("<name>" + name + "</name>").doesNotContain("over " + mode + "<");
        String description = "<description>carried by --xml over " + mode + "</description>";
        String changed = live.replaceAll("(?s)\\s*<title>.*</title>", "")
                .replaceAll("(?s)\\s*<description>.*</description>", "")
                .replace("</name>", "</name>\n  <title>moved " + mode + "</title>\n  " + description);
        Path file = hosts.base.resolve("xml-" + mode + ".xml");
        Files.writeString(file, changed);
        List<String> extra = new ArrayList<>(List.of("--persistent", "--undefinesource", "--xml", file.toString()));
        if (mode == Mode.TUNNELLED) {
            extra.addAll(List.of("--persistent-xml", file.toString()));
        }
        VirshHost from = here;
        GuestIntegrity whole = hop("xml " + mode, mode, extra.toArray(String[]::new));
        assertRunningMigrated(to, from, whole);
        assertThat(to.virsh().run("dumpxml", name).out())
                .contains("<title>moved " + mode + "</title>")
                .contains(description);
        String persistent = to.virsh().run("dumpxml", "--inactive", name).out();
        if (mode == Mode.TUNNELLED) {
            assertThat(persistent).contains(description);
        } else {
            assertThat(persistent).doesNotContain(description);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(100)
    void graphicsuriNamesWhereDisplayClientsGo(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        String before0 = here.virsh().run("domdisplay", name).out().strip();
        assertThat(before0).startsWith("spice://127.0.0.1:");
        GuestIntegrity whole = hop(
                "graphicsuri " + mode,
                mode,
                "--persistent",
                "--undefinesource",
                "--graphicsuri",
                "spice://127.0.0.1:" + freePort());
        assertRunningMigrated(to, from, whole);
        String display = to.virsh().run("domdisplay", name).out().strip();
        assertThat(display).startsWith("spice://127.0.0.1:");
        URI uri = URI.create(display);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 5000);
        }
    }

    @Test
    @Order(110)
    void listenAddressReachesTheDestinationQemu() throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity stays = GuestIntegrity.before(log, name, here.guest());
        Virsh.Result tunnelled =
                migrate(Mode.TUNNELLED, "--persistent", "--undefinesource", "--listen-address", "127.0.0.1");
        assertThat(tunnelled.exit()).isNotZero();
        assertThat(tunnelled.err())
                .contains("error: argument unsupported: listen address is not supported by tunnelled migration");

        // An address no interface has: the destination's QEMU cannot listen there, so the migration fails.
        Virsh.Result nowhere =
                migrate(Mode.NATIVE, "--persistent", "--undefinesource", "--listen-address", "192.0.2.1");
        System.out.println("[it] listen-address 192.0.2.1: " + nowhere.err().strip());
        assertThat(nowhere.exit()).isNotZero();
        // jvirt checks the port on that address first (SYSTEM_ERROR, printed without a prefix).
        assertThat(nowhere.err())
                .startsWith("error: Unable to find an unused port in range 'migration' (")
                .contains(") on 192.0.2.1");
        assertStillHere(stays);

        GuestIntegrity whole = hop(
                "listen-address 127.0.0.1 NATIVE",
                Mode.NATIVE,
                "--persistent",
                "--undefinesource",
                "--listen-address",
                "127.0.0.1");
        assertGone(from, name);
        assertRunningMigrated(to, from, whole);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Order(120)
    void timeoutSuspendsTheGuestSoTheMigrationFinishes(Mode mode) throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity whole = GuestIntegrity.before(log, name, from.guest());
        long t0 = System.nanoTime();
        Process migrate = start(
                mode, "--persistent", "--undefinesource", "--bandwidth", "32", "--timeout", "1", "--timeout-suspend");
        boolean sawPaused = false;
        try {
            while (migrate.isAlive()) {
                String s = from.domstate(name);
                if (s.equals("paused (migrating)")) {
                    sawPaused = true;
                }
                migrate.waitFor(100, TimeUnit.MILLISECONDS);
            }
            assertThat(migrate.exitValue()).as(output(migrate)).isZero();
        } finally {
            migrate.destroyForcibly();
        }
        System.out.printf("[it] timeout 1 --timeout-suspend %s: %.2f s%n", mode, (System.nanoTime() - t0) / 1e9);
        swap();
        assertThat(sawPaused)
                .as("the source was paused by virsh's timeout while migrating")
                .isTrue();
        assertGone(from, name);
        assertRunningMigrated(to, from, whole);
    }

    @Test
    @Order(130)
    void postcopyIsRefusedTunnelledAndSwitchedOnDemandNatively() throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity stays = GuestIntegrity.before(log, name, here.guest());
        Virsh.Result refused = migrate(Mode.TUNNELLED, "--persistent", "--undefinesource", "--postcopy");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err())
                .contains("error: argument unsupported: post-copy is not supported with tunnelled migration");
        assertStillHere(stays);

        GuestIntegrity whole = GuestIntegrity.before(log, name, from.guest());
        long t0 = System.nanoTime();
        Process migrate = start(Mode.NATIVE, "--persistent", "--undefinesource", "--postcopy", "--bandwidth", "8");
        boolean sawPostcopy = false;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> JobInfo.processedMiB(
                                    from.virsh().run("domjobinfo", name).out())
                            > 4);
            Virsh.Result switched = from.virsh().run("migrate-postcopy", name);
            assertThat(switched.exit()).as(switched.all()).isZero();
            while (migrate.isAlive()) {
                if (from.domstate(name).equals("paused (post-copy)")) {
                    sawPostcopy = true;
                }
                migrate.waitFor(50, TimeUnit.MILLISECONDS);
            }
            assertThat(migrate.exitValue()).as(output(migrate)).isZero();
        } finally {
            migrate.destroyForcibly();
        }
        System.out.printf(
                "[it] postcopy NATIVE (switched by migrate-postcopy): %.2f s%n", (System.nanoTime() - t0) / 1e9);
        swap();
        assertThat(sawPostcopy)
                .as("the source showed paused (post-copy) after the switch")
                .isTrue();
        assertGone(from, name);
        assertRunningMigrated(to, from, whole);
    }

    /**
     * virsh switches to post-copy by itself when the source's migration-iteration event (QEMU's MIGRATION_PASS,
     * relayed as remote procedure 359 to virsh's callback for event id 20) reports the second pass.
     */
    @Test
    @Order(140)
    void postcopyAfterPrecopySwitchesByItself() throws Exception {
        VirshHost from = here;
        VirshHost to = there;
        GuestIntegrity whole = GuestIntegrity.before(log, name, from.guest());
        long t0 = System.nanoTime();
        Process migrate = start(
                Mode.NATIVE,
                "--persistent",
                "--undefinesource",
                "--postcopy",
                "--postcopy-after-precopy",
                "--bandwidth",
                "16");
        boolean sawPostcopy = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (migrate.isAlive() && System.nanoTime() < deadline) {
                if (from.domstate(name).equals("paused (post-copy)")) {
                    sawPostcopy = true;
                }
                migrate.waitFor(50, TimeUnit.MILLISECONDS);
            }
            assertThat(migrate.isAlive())
                    .as("virsh migrate still running after 90 s")
                    .isFalse();
            assertThat(migrate.exitValue()).as(output(migrate)).isZero();
        } finally {
            migrate.destroyForcibly();
        }
        System.out.printf("[it] postcopy-after-precopy NATIVE: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        swap();
        assertGone(from, name);
        assertThat(sawPostcopy)
                .as("virsh switched to post-copy after the first pass")
                .isTrue();
        assertRunningMigrated(to, from, whole);
    }

    // --- helpers ---

    /** Runs {@code virsh migrate --live <mode> extra... name there} on the guest's host and waits for it. */
    private Virsh.Result migrate(Mode mode, String... extra) throws Exception {
        return here.virsh().run(arguments(mode, extra));
    }

    private Process start(Mode mode, String... extra) throws Exception {
        return here.virsh()
                .command(arguments(mode, extra))
                .redirectErrorStream(true)
                .start();
    }

    private String[] arguments(Mode mode, String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "--live"));
        args.addAll(mode.options);
        args.addAll(Arrays.asList(extra));
        args.add(name);
        args.add(there.uri());
        return args.toArray(String[]::new);
    }

    /** One hop that must succeed; the guest's hosts swap roles. Returns the check taken before it. */
    private GuestIntegrity hop(String label, Mode mode, String... extra) throws Exception {
        GuestIntegrity before = GuestIntegrity.before(log, name, here.guest());
        long t0 = System.nanoTime();
        Virsh.Result r = migrate(mode, extra);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exit()).as(label + ": " + r.all()).isZero();
        System.out.printf("[it] %s %s->%s: %.2f s%n", label, here.label(), there.label(), seconds);
        swap();
        return before;
    }

    private void swap() {
        VirshHost h = here;
        here = there;
        there = h;
    }

    /** The guest arrived on {@code to} running (migrated) and whole; {@code from} has nothing of it left. */
    private void assertRunningMigrated(VirshHost to, VirshHost from, GuestIntegrity whole) throws Exception {
        assertThat(to).isSameAs(here);
        assertThat(to.domstate(name)).isEqualTo("running (migrated)");
        whole.assertMovedTo(to.guest(), StateReason.RUNNING_MIGRATED).andGoneFrom(from.guest());
        hosts.assertNothingStray();
    }

    /**
     * After a refused or failed migration: running in the same QEMU where it was, with the state and reason it had,
     * whole, and nothing of it on the other host.
     */
    private void assertStillHere(GuestIntegrity stays) throws Exception {
        assertThat(here.domstate(name)).startsWith("running");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertGone(there, name));
        stays.assertStayed(here.guest().status(name).orElseThrow().reason()).andGoneFrom(there.guest());
        hosts.assertNothingStray();
    }

    /** QEMU's {@code ram.multifd-bytes} from {@code query-migrate} on {@code h}, 0 once the guest left. */
    private static long multifdBytes(VirshHost h, DomainRef dom) {
        try {
            String reply = h.connection().qemuMonitorCommand(dom, "{\"execute\":\"query-migrate\"}", 0);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"multifd-bytes\"\\s*:\\s*(\\d+)")
                    .matcher(reply);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (VirtException e) {
            return 0; // the migration ended and the source's QEMU is gone
        }
    }

    /** A TCP port the OS has free now. */
    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void assertGone(VirshHost h, String domain) throws Exception {
        assertThat(h.names()).as("domains on " + h.label()).doesNotContain(domain);
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

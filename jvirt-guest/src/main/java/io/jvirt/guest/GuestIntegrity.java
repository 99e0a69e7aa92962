package io.jvirt.guest;

import io.jvirt.api.DomainState;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The one check that a test guest came through an operation (a migration, a save and restore, a managed save, a
 * daemon restart, a failed migration) whole. Take it before the operation with {@link #before}; after the
 * operation returns, {@link #assertMovedTo} or {@link #assertStayed} proves, in this order:
 *
 * <ol>
 *   <li>the QEMU that ran the guest before has exited (by pid), or for {@code assertStayed} is the one still
 *       running it; nothing printed before that point counts, since during pre-copy the source keeps printing
 *       into the same serial file the destination later appends to; and no other live process (the other side's
 *       QEMU) names the serial file any more;
 *   <li>only then the last tick T and the last {@code sweep=} W are read, and the guest must print ticks above T
 *       and reach sweep W+2 (two whole checks of its fill area, begun after the operation), with
 *       {@code pattern=ok} on every tick since T;
 *   <li>when tick T carries a disk state (the guest runs its disk workload, see {@link DiskTick}), also: the
 *       guest must reach disk pass P+2, P being T's {@code disk_pass=} (two whole verify passes over the
 *       disk's written region, begun after the operation), with {@code disk=ok} on every tick since T. A guest
 *       without the disk workload is checked as before;
 *   <li>over the whole log, ticks rise strictly with no repeat, and there is exactly one {@code jvirt-guest start};
 *   <li>the state and reason on the host that runs it, and, through {@link Outcome}, on the other host.
 * </ol>
 *
 * <p>Not thread-safe: one test thread uses it. Every wait has a deadline and fails naming what it waited for.
 */
public final class GuestIntegrity {
    /** How long the guest may take for two whole sweeps of its fill area after an operation (TCG is slow). */
    public static final Duration SWEEPS = Duration.ofSeconds(180);
    /** How long an old QEMU may take to exit once the operation returned. */
    public static final Duration QEMU_EXIT = Duration.ofSeconds(60);

    private final SerialLog serial;
    private final String name;
    private final GuestHost before;
    private final long beforePid;
    private Duration sweepsDeadline = SWEEPS;
    private Duration exitDeadline = QEMU_EXIT;
    private Runnable onMarked = () -> {};
    private int boots = 1;

    private GuestIntegrity(SerialLog serial, String name, GuestHost before, long beforePid) {
        this.serial = serial;
        this.name = name;
        this.before = before;
        this.beforePid = beforePid;
    }

    /**
     * Other deadlines than {@link #SWEEPS} and {@link #QEMU_EXIT}: for a unit test of the check itself, which must
     * see it fail fast. Returns this.
     */
    public GuestIntegrity within(Duration sweeps, Duration qemuExit) {
        this.sweepsDeadline = sweeps;
        this.exitDeadline = qemuExit;
        return this;
    }

    /** Records which QEMU runs {@code name} on {@code host} now, before the operation; fails if none does. */
    public static GuestIntegrity before(SerialLog serial, String name, GuestHost host) {
        OptionalLong pid = host.qemuPid(name);
        check(
                pid.isPresent() && ProcessHandle.of(pid.getAsLong()).isPresent(),
                "%s runs no QEMU for %s before the operation",
                host,
                name);
        return new GuestIntegrity(serial, name, host, pid.getAsLong());
    }

    /**
     * For a guest the test rebooted on purpose before the operation: the log holds exactly {@code count} starts
     * (the last of them the current boot) instead of one, and no start may come after. Returns this.
     */
    public GuestIntegrity expectingBoots(int count) {
        this.boots = count;
        return this;
    }

    /**
     * Runs {@code hook} right after the check has read the last tick and sweep it will compare against: the
     * point from which a unit test's stand-in guest may "go on". Package-private: tests of the check only.
     */
    GuestIntegrity onMarked(Runnable hook) {
        this.onMarked = hook;
        return this;
    }

    /** The pid of the QEMU that ran the guest before the operation. */
    public long beforePid() {
        return beforePid;
    }

    /** Waits until the QEMU that ran the guest before the operation has exited. */
    public void awaitPreviousQemuExit() {
        ProcessHandle.of(beforePid).ifPresent(h -> {
            try {
                h.onExit().get(exitDeadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the QEMU (pid " + beforePid + ") that ran " + name + " on " + before
                        + " still runs " + exitDeadline.toMillis() + " ms after the operation returned");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for pid " + beforePid + " to exit", e);
            }
        });
    }

    /**
     * The guest left its old QEMU, which has exited, and runs on {@code host} in another QEMU, in state
     * {@code reason}, with its memory and clock intact (see the class comment).
     */
    public Outcome assertMovedTo(GuestHost host, StateReason reason) {
        return assertMovedTo(host, name, reason);
    }

    /** As {@link #assertMovedTo(GuestHost, StateReason)} for a guest that runs as {@code nameThere} now (renamed). */
    public Outcome assertMovedTo(GuestHost host, String nameThere, StateReason reason) {
        awaitPreviousQemuExit();
        OptionalLong now = host.qemuPid(nameThere);
        check(now.isPresent(), "%s runs no QEMU for %s after the operation", host, nameThere);
        check(now.getAsLong() != beforePid, "%s still names the old QEMU (pid %d) for %s", host, beforePid, nameThere);
        check(
                ProcessHandle.of(now.getAsLong()).isPresent(),
                "the QEMU (pid %d) of %s on %s is not running",
                now.getAsLong(),
                nameThere,
                host);
        awaitSoleWriter(now.getAsLong());
        assertGuestWhole(host);
        assertStatus(host, nameThere, reason);
        return new Outcome(host);
    }

    /**
     * The operation left the guest where it was: the same QEMU (by pid) still runs it on the host it ran on before,
     * in state {@code reason}, with its memory and clock intact.
     */
    public Outcome assertStayed(StateReason reason) {
        return assertStayed(before, reason);
    }

    /**
     * As {@link #assertStayed(StateReason)}, looking through {@code sameHost}: the host the guest ran on, reached
     * by a connection opened since (a driver reopened on the same root).
     */
    public Outcome assertStayed(GuestHost sameHost, StateReason reason) {
        check(sameHost.root().equals(before.root()), "%s is not the host %s ran on (%s)", sameHost, name, before);
        if (ProcessHandle.of(beforePid).isEmpty()) {
            // Say how it ended: a crash shows in the state and in what QEMU wrote last.
            throw new AssertionError(String.format(
                    "the QEMU (pid %d) that ran %s on %s has exited; state now %s; its log ends:%n  %s",
                    beforePid,
                    name,
                    sameHost,
                    sameHost.status(name).map(Object::toString).orElse("(no domain)"),
                    String.join("\n  ", sameHost.qemuLogTail(name, 15))));
        }
        OptionalLong now = sameHost.qemuPid(name);
        check(
                now.isPresent() && now.getAsLong() == beforePid,
                "%s names pid %s for %s instead of %d",
                sameHost,
                now.isPresent() ? Long.toString(now.getAsLong()) : "none",
                name,
                beforePid);
        awaitSoleWriter(beforePid);
        assertGuestWhole(sameHost);
        assertStatus(sameHost, name, reason);
        return new Outcome(sameHost);
    }

    /**
     * For a guest the operation left unable to go on (post-copy failed: part of its memory is only in a QEMU that
     * is gone), all that can be proved without progress: {@code host} names a live QEMU for it, which is the only
     * process left naming the serial file (and is the old one, or the old one has exited); the log holds exactly one
     * start, ticks that never repeat or step back, and no broken pattern (nor, for a guest whose last tick has a
     * disk state, a broken disk); the state is {@code reason}.
     */
    public Outcome assertStuckOn(GuestHost host, StateReason reason) {
        OptionalLong now = host.qemuPid(name);
        check(now.isPresent() && ProcessHandle.of(now.getAsLong()).isPresent(), "%s runs no QEMU for %s", host, name);
        if (now.getAsLong() != beforePid) {
            awaitPreviousQemuExit();
        }
        awaitSoleWriter(now.getAsLong());
        GuestTick last = serial.latest().orElseThrow(() -> new AssertionError("no tick of " + name));
        assertOneBootRisingTicks();
        for (GuestTick t : serial.ticks()) {
            assertTickSound(t, last.disk().isPresent(), host);
        }
        assertStatus(host, name, reason);
        System.out.printf(
                "[it] %s held by pid %d on %s, stuck at tick %d (log sound)%n",
                name, now.getAsLong(), host.label(), last.tick());
        return new Outcome(host);
    }

    /**
     * Waits until {@code pid} is the only live process whose command line names the serial file: any other
     * QEMU (the other side of a migration that has not ended yet) could still append to it, so nothing is read
     * before it is gone.
     */
    private void awaitSoleWriter(long pid) {
        String file = serial.file().toAbsolutePath().toString();
        await(
                () -> writersOf(file).stream().allMatch(p -> p == pid),
                "besides pid " + pid + ", a process naming " + file + " (another QEMU of " + name + ") still runs",
                exitDeadline);
    }

    /** Pids of the live processes whose command line names {@code file}, read from /proc. */
    static List<Long> writersOf(String file) {
        return ProcessHandle.allProcesses()
                .map(ProcessHandle::pid)
                .filter(pid -> pid != ProcessHandle.current().pid()
                        && GuestHost.commandLine(pid).contains(file))
                .toList();
    }

    private void assertGuestWhole(GuestHost host) {
        long t0 = System.nanoTime();
        // Read only now: the old QEMU has exited, so every line from here on comes from the QEMU that runs it.
        GuestTick last = serial.latest()
                .orElseThrow(() -> new AssertionError("no tick of " + name + " in " + serial.file()
                        + "; last lines:\n  " + String.join("\n  ", serial.lastLines())));
        long sweep = serial.sweeps();
        Optional<DiskTick> disk = last.disk();
        onMarked.run();
        assertOneBootRisingTicks();
        try {
            serial.awaitSweeps(sweep + 2, sweepsDeadline);
            serial.awaitTickAfter(last.tick(), sweepsDeadline);
        } catch (VirtException e) {
            assertTicksSoundAfter(last, disk.isPresent(), host);
            throw new AssertionError(
                    name + " on " + host + " did not go on after the operation (last tick " + last.tick()
                            + " and sweep " + sweep
                            + " read once the old QEMU had exited; ticks and sweeps printed before"
                            + " that do not count): " + e.getMessage(),
                    e);
        }
        if (disk.isPresent()) {
            long pass = disk.get().passes();
            try {
                serial.awaitDiskPasses(pass + 2, sweepsDeadline);
            } catch (VirtException e) {
                // A broken disk stops no pass: the verdict on the ticks is the better message.
                assertTicksSoundAfter(last, true, host);
                throw new AssertionError(
                        name + " on " + host + " verified its disk " + (serial.diskPasses() - pass)
                                + " whole times after the operation, 2 needed (disk pass " + pass + " at tick "
                                + last.tick() + ", read once the old QEMU had exited): " + e.getMessage(),
                        e);
            }
        }
        assertOneBootRisingTicks();
        List<GuestTick> ticks = serial.ticks();
        GuestTick after =
                ticks.stream().filter(t -> t.tick() > last.tick()).findFirst().orElseThrow();
        assertTicksSoundAfter(last, disk.isPresent(), host);
        check(
                after.uptimeMs() > last.uptimeMs(),
                "uptime went back from %d to %d ms",
                last.uptimeMs(),
                after.uptimeMs());
        System.out.printf(
                "[it] %s whole on %s: sweeps %d -> %d,%s ticks %d -> %d, in %d ms%n",
                name,
                host.label(),
                sweep,
                serial.sweeps(),
                disk.map(d -> " disk passes " + d.passes() + " -> " + serial.diskPasses() + ",")
                        .orElse(""),
                last.tick(),
                serial.latest().map(GuestTick::tick).orElse(-1L),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Every tick after {@code mark} has an intact memory pattern and, when {@code disk}, an intact disk. */
    private void assertTicksSoundAfter(GuestTick mark, boolean disk, GuestHost host) {
        for (GuestTick t : serial.ticks()) {
            if (t.tick() > mark.tick()) {
                assertTickSound(t, disk, host);
            }
        }
    }

    private void assertTickSound(GuestTick t, boolean disk, GuestHost host) {
        check(
                t.patternOk(),
                "%s's memory pattern broke at offset 0x%x (tick %d) on %s",
                name,
                t.badOffset(),
                t.tick(),
                host);
        if (disk) {
            check(
                    t.disk().isPresent(),
                    "%s's tick %d on %s has no disk state, though it ran the disk workload before",
                    name,
                    t.tick(),
                    host);
            check(
                    t.disk().get().ok(),
                    "%s's disk check failed at sector %d (tick %d) on %s",
                    name,
                    t.disk().get().badSector(),
                    t.tick(),
                    host);
        }
    }

    private void assertOneBootRisingTicks() {
        check(
                serial.boots() == boots,
                "%s booted %d times (%d `jvirt-guest start` expected) in %s",
                name,
                serial.boots(),
                boots,
                serial.file());
        List<GuestTick> ticks = serial.ticks();
        for (int i = 1; i < ticks.size(); i++) {
            check(
                    ticks.get(i).tick() > ticks.get(i - 1).tick(),
                    "tick %d follows tick %d in %s (a repeat or a step" + " back: the guest ran from stale memory)",
                    ticks.get(i).tick(),
                    ticks.get(i - 1).tick(),
                    serial.file());
        }
    }

    private static void assertStatus(GuestHost host, String name, StateReason reason) {
        Optional<DomainStatus> status = host.status(name);
        check(status.isPresent(), "%s has no domain %s", host, name);
        check(status.get().reason() == reason, "%s on %s is %s, expected %s", name, host, status.get(), reason);
    }

    /** What the other host of an operation must show; returned by the assertions above. */
    public final class Outcome {
        private final GuestHost runsOn;

        private Outcome(GuestHost runsOn) {
            this.runsOn = runsOn;
        }

        /**
         * {@code host} still knows the domain, in state {@code reason} (shut off (migrated), say); when that state is
         * shut off, the host no longer names a QEMU for it either.
         */
        public Outcome andOn(GuestHost host, StateReason reason) {
            assertStatus(host, name, reason);
            if (reason.state() == DomainState.SHUTOFF) {
                check(
                        host.qemuPid(name).isEmpty(),
                        "%s is shut off on %s but its status file names pid %s",
                        name,
                        host,
                        host.qemuPid(name));
            }
            return this;
        }

        /**
         * The guest left {@code host} (the source of a migration): the host has it shut off (migrated) if it kept
         * the definition, or no longer has it, and names no QEMU for it.
         */
        public Outcome andLeft(GuestHost host) {
            Optional<DomainStatus> status = host.status(name);
            check(
                    status.isEmpty() || status.get().reason() == StateReason.SHUTOFF_MIGRATED,
                    "%s on %s is %s after it left, expected shut off (migrated) or no domain",
                    name,
                    host,
                    status.orElse(null));
            check(
                    host.qemuPid(name).isEmpty(),
                    "%s still names pid %s for %s after it left",
                    host,
                    host.qemuPid(name),
                    name);
            return this;
        }

        /** {@code host} no longer has the domain, nor any QEMU under its root (waiting a while for it to end). */
        public Outcome andGoneFrom(GuestHost host) {
            check(
                    host.status(name).isEmpty(),
                    "%s still has %s as %s",
                    host,
                    name,
                    host.status(name).orElse(null));
            await(() -> !host.runsAnyQemu(), "a QEMU still runs under " + host.root(), exitDeadline);
            return this;
        }

        /** The host that runs the guest now. */
        public GuestHost runsOn() {
            return runsOn;
        }
    }

    private static void await(BooleanSupplier condition, String failure, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure + " after " + within.toMillis() + " ms");
            }
            try {
                Thread.sleep(50); // polling a process table: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted: " + failure, e);
            }
        }
    }

    @SuppressWarnings("AnnotateFormatMethod") // @FormatMethod would need error_prone_annotations at run time
    private static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(format, args));
        }
    }
}

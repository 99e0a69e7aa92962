package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainMigration;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestHost;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Two jvirt hosts on this machine for migration tests, each an embedded driver on a root of its own (so each has
 * its own host UUID), opened side by side in this JVM as a client-managed migration opens them. The guests'
 * serial logs live in host A's root; a guest that moves keeps appending to the same file, so one
 * {@link SerialLog} follows it across hosts.
 */
final class TwoHosts implements AutoCloseable {
    static final Duration TICK = Duration.ofSeconds(30);

    final TestHost hostA;
    final TestHost hostB;
    Connection a;
    Connection b;

    TwoHosts(String name) throws IOException {
        this(name, "");
    }

    /** Two hosts whose jvirt.conf both hold {@code conf}. */
    TwoHosts(String name, String conf) throws IOException {
        hostA = new TestHost(name + "-a");
        hostB = new TestHost(name + "-b");
        for (TestHost h : List.of(hostA, hostB)) {
            Files.createDirectories(h.root().resolve("etc"));
            Files.writeString(h.root().resolve("etc/jvirt.conf"), conf);
        }
        a = hostA.open();
        b = hostB.open();
    }

    /** The test guest: 512 MiB with 384 MiB of patterned memory, dirtying {@code dirtyMibps}. */
    GuestXml guest(String name, int dirtyMibps) {
        return hostA.guest(name).memoryMiB(512).fillMiB(384).dirtyMibps(dirtyMibps);
    }

    /** Defines and starts {@code xml}'s guest on host A and waits until its workload is ready. */
    SerialLog boot(String name, GuestXml xml) {
        return boot(name, xml.toXml());
    }

    /** As {@link #boot(String, GuestXml)} for domain XML a test adjusted. */
    SerialLog boot(String name, String xml) {
        long t0 = System.nanoTime();
        DomainRef ref = a.defineXml(xml);
        a.create(ref, 0);
        SerialLog serial = hostA.serial(name);
        serial.awaitReady(TestHost.BOOT);
        System.out.printf("[it] %s booted in %d ms%n", name, (System.nanoTime() - t0) / 1_000_000);
        return serial;
    }

    /** Migrates {@code name} from {@code src} to {@code dst} client-managed; prints how long it took. */
    static DomainRef migrate(Connection src, Connection dst, String name, List<TypedParam> params, long flags) {
        long t0 = System.nanoTime();
        DomainRef moved = DomainMigration.migrate(src, src.lookupByName(name), dst, params, flags);
        System.out.printf(
                "[it] %s migrated %s -> %s in %d ms%n",
                name, src.uri(), dst.uri(), (System.nanoTime() - t0) / 1_000_000);
        return moved;
    }

    /** Starts a migration on another thread, for tests that act while it runs. */
    static CompletableFuture<DomainRef> migrateAsync(
            Connection src, Connection dst, String name, List<TypedParam> params, long flags) {
        return CompletableFuture.supplyAsync(() -> migrate(src, dst, name, params, flags));
    }

    /** Host A or B as {@link GuestIntegrity} looks at it, through the connection the test holds now. */
    GuestHost guestHost(Connection c) {
        if (c == a) {
            return hostA.guestHost("A", a);
        }
        if (c == b) {
            return hostB.guestHost("B", b);
        }
        throw new IllegalArgumentException("not a connection of these hosts: " + c.uri());
    }

    /** Takes the integrity check of {@code name} before an operation, on the host {@code on} reaches. */
    GuestIntegrity check(SerialLog serial, String name, Connection on) {
        return GuestIntegrity.before(serial, name, guestHost(on));
    }

    /**
     * What a migration must leave: the guest's old QEMU on {@code src} has exited; only then the guest, on
     * {@code dst} as running (migrated), goes on ticking and sweeping with its memory intact, without a reboot
     * or a repeated tick; {@code src} has it shut off (migrated) or not at all, and names no QEMU for it.
     */
    GuestIntegrity.Outcome assertArrived(GuestIntegrity check, Connection src, Connection dst) {
        return check.assertMovedTo(guestHost(dst), StateReason.RUNNING_MIGRATED).andLeft(guestHost(src));
    }

    /** Every QEMU under either root runs a domain its host reports active (see TestHost#assertNoStrayQemu). */
    void assertNoStrayQemu() throws IOException {
        hostA.assertNoStrayQemu(a);
        hostB.assertNoStrayQemu(b);
    }

    /**
     * {@code thrown} is (or, from a future, wraps) the VirtException libvirt would raise: its code and a part of
     * its message, both checked.
     */
    static void assertVirtError(Throwable thrown, ErrorCode code, String messagePart) {
        Throwable t = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
                ? thrown.getCause()
                : thrown;
        assertThat(t).isInstanceOf(VirtException.class);
        VirtException e = (VirtException) t;
        assertThat(e.code()).as("error code of: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(messagePart);
    }

    /** After a failed migration: {@code dst} has no such domain and no QEMU left for it. */
    void assertNothingOn(Connection dst, TestHost host, String name) throws IOException {
        assertThatThrownBy(() -> dst.lookupByName(name))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_DOMAIN));
        assertThat(Files.exists(host.statusFile(name)))
                .as("no status file left on the destination")
                .isFalse();
        String root = host.root().toString();
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> String.join(" ", p.info().arguments().orElse(new String[0]))
                                .contains(root))
                        .toList())
                .as("no QEMU left for " + root)
                .isEmpty();
    }

    /**
     * Lets go of both roots while {@code whileClosed} runs (another process drives the hosts meanwhile), then
     * opens them again, as the next process would: each driver recovers what it finds.
     */
    void reopen(ThrowingRunnable whileClosed) throws Exception {
        a.close();
        b.close();
        try {
            whileClosed.run();
        } finally {
            a = hostA.open();
            b = hostB.open();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void close() throws IOException {
        try {
            a.close();
            b.close();
        } finally {
            try {
                hostA.close();
            } finally {
                hostB.close();
            }
        }
    }
}

package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainMigration;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.XmlFlags;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Storage migration over NBD on real QEMU, client-managed: a guest whose qcow2 disk (an overlay over a base image
 * both hosts share) is not shared moves with its disk. An abort while the disk copies leaves it on the source with
 * its disk untouched and removes the image the destination made, and so does the destination's QEMU killed while
 * the disk copies; {@code --copy-storage-inc} copies only the top
 * image into an overlay the destination already has; {@code --copy-storage-all} copies the whole disk into an image
 * the destination creates; offline peer-to-peer migration moves only the definition. Each destination gets its own
 * image path through the destination XML, as the two hosts share this machine's filesystem. After each move the
 * source's image and the destination's are compared ({@code qemu-img compare}), and the guest proven whole.
 *
 * <p>The test guest does not write its disk yet: the images hold patterns written before the guest starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class StorageMigrationIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "stor";
    private static final long DISK_FLAGS = MigrateFlags.LIVE | MigrateFlags.PERSIST_DEST;
    private static final int MIB = 1024 * 1024;

    private TwoHosts hosts;
    private Connection a;
    private Connection b;
    private SerialLog serial;
    private Path base;
    private Path onA;
    private Path reference;

    @BeforeAll
    void setUp() throws Exception {
        hosts = new TwoHosts("storage");
        a = hosts.a;
        b = hosts.b;
        Path shared = Files.createDirectories(hosts.hostA.root().resolve("shared"));
        base = shared.resolve("base.qcow2");
        onA = hosts.hostA.root().resolve("vda.qcow2");
        reference = shared.resolve("reference.raw");
        long t0 = System.nanoTime();
        run("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M");
        run("qemu-io", "-f", "qcow2", "-c", "write -q -P 0x5a 0 8M", base.toString());
        run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base.toString(), onA.toString());
        run("qemu-io", "-f", "qcow2", "-c", "write -q -P 0xa5 32M 4M", onA.toString());
        run("qemu-img", "convert", "-O", "raw", onA.toString(), reference.toString());
        System.out.printf("[it] images written in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        serial = hosts.boot(GUEST, withDisk(hosts.hostA.guest(GUEST).toXml(), onA));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        hosts.assertNoStrayQemu();
    }

    private static String withDisk(String xml, Path image) {
        return xml.replace(
                "    <memballoon",
                "    <disk type='file' device='disk'>\n"
                        + "      <driver name='qemu' type='qcow2'/>\n"
                        + "      <source file='" + image + "'/>\n"
                        + "      <target dev='vda' bus='virtio'/>\n"
                        + "    </disk>\n"
                        + "    <memballoon");
    }

    /** The guest's XML on {@code src} with its disk at {@code there}: the destination's own image path. */
    private List<TypedParam> toImage(Connection src, Path here, Path there, TypedParam... more) {
        String xml = src.xmlDesc(src.lookupByName(GUEST), XmlFlags.MIGRATABLE)
                .replace("file='" + here + "'", "file='" + there + "'");
        List<TypedParam> params = new ArrayList<>(List.of(TypedParam.string(MigrateParams.DEST_XML, xml)));
        params.addAll(List.of(more));
        return params;
    }

    @Test
    @Order(10)
    void abortMidMirrorLeavesTheGuestAndItsDiskOnTheSource() throws Exception {
        Path onB = hosts.hostB.root().resolve("vda-aborted.qcow2");
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        StateReason reason = a.state(a.lookupByName(GUEST)).reason();
        // 1 MiB/s: the 12 MiB the disk holds take long enough to abort mid-copy.
        List<TypedParam> slow = toImage(a, onA, onB, TypedParam.ullong(MigrateParams.BANDWIDTH, 1));
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(a, b, GUEST, slow, DISK_FLAGS | MigrateFlags.NON_SHARED_DISK);
        await().atMost(TwoHosts.TICK).until(() -> diskProcessed(a) > 0);
        assertThat(onB).as("the destination made the missing image").exists();
        assertThat(a.jobInfo(a.lookupByName(GUEST)).fileTotal()).isPositive();

        a.abortJob(a.lookupByName(GUEST));

        Throwable failed = catchThrowable(migration::join);
        TwoHosts.assertVirtError(failed, ErrorCode.OPERATION_ABORTED, "job 'migration out' canceled by client");
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(hosts.hostB.statusFile(GUEST)));
        hosts.assertNothingOn(b, hosts.hostB, GUEST);
        assertThat(onB).as("the image the destination made is gone again").doesNotExist();
        check.assertStayed(hosts.guestHost(a), reason).andGoneFrom(hosts.guestHost(b));
        assertThat(compare(reference, onA)).as("the source's disk is untouched").isTrue();
    }

    @Test
    @Order(15)
    void destinationQemuKilledMidMirrorLeavesTheGuestOnTheSource() throws Exception {
        Path onB = hosts.hostB.root().resolve("vda-killed.qcow2");
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        StateReason reason = a.state(a.lookupByName(GUEST)).reason();
        List<TypedParam> slow = toImage(a, onA, onB, TypedParam.ullong(MigrateParams.BANDWIDTH, 1));
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(a, b, GUEST, slow, DISK_FLAGS | MigrateFlags.NON_SHARED_DISK);
        await().atMost(TwoHosts.TICK).until(() -> diskProcessed(a) > 0);

        ProcessHandle.of(hosts.hostB.recordedPid(GUEST)).orElseThrow().destroyForcibly();

        Throwable failed = catchThrowable(migration::join);
        // The mirror fails with its NBD connection; Finish then finds the domain gone with its QEMU, and the
        // client reports Finish's error, as libvirt's does.
        TwoHosts.assertVirtError(failed, ErrorCode.NO_DOMAIN, "no domain with matching name '" + GUEST + "'");
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(hosts.hostB.statusFile(GUEST)));
        hosts.assertNothingOn(b, hosts.hostB, GUEST);
        assertThat(onB).as("the image the destination made is gone again").doesNotExist();
        check.assertStayed(hosts.guestHost(a), reason).andGoneFrom(hosts.guestHost(b));
        assertThat(compare(reference, onA)).as("the source's disk is untouched").isTrue();
    }

    @Test
    @Order(20)
    void copyStorageIncCopiesOnlyTheTopImageOverTheSharedBase() throws Exception {
        Path onB = hosts.hostB.root().resolve("vda-inc.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base.toString(), onB.toString());
        GuestIntegrity check = hosts.check(serial, GUEST, a);

        TwoHosts.migrate(a, b, GUEST, toImage(a, onA, onB), DISK_FLAGS | MigrateFlags.NON_SHARED_INC);

        hosts.assertArrived(check, a, b);
        assertThat(compare(onA, onB)).as("the guest sees the same disk on B").isTrue();
        assertThat(Files.size(onB))
                .as("only the 4 MiB top layer was copied, not the base's 8 MiB")
                .isLessThan(8L * MIB);
        List<TypedParam> done = a.jobStats(a.lookupByName(GUEST), JobStatsFlags.COMPLETED);
        assertThat((Long) TypedParam.find(done, "disk_total").orElseThrow()).isPositive();
    }

    @Test
    @Order(30)
    void copyStorageAllCopiesTheWholeDiskIntoAnImageTheDestinationMakes() throws Exception {
        Path onB = hosts.hostB.root().resolve("vda-inc.qcow2");
        Path backOnA = hosts.hostA.root().resolve("vda-all.qcow2");
        GuestIntegrity check = hosts.check(serial, GUEST, b);

        TwoHosts.migrate(b, a, GUEST, toImage(b, onB, backOnA), DISK_FLAGS | MigrateFlags.NON_SHARED_DISK);

        hosts.assertArrived(check, b, a);
        assertThat(compare(onB, backOnA))
                .as("the guest sees the same disk back on A")
                .isTrue();
        assertThat(compare(reference, backOnA))
                .as("and it holds what was written before the start")
                .isTrue();
        String info = run("qemu-img", "info", "-U", backOnA.toString());
        assertThat(info).contains("file format: qcow2").doesNotContain("backing file:");
        List<TypedParam> done = b.jobStats(b.lookupByName(GUEST), JobStatsFlags.COMPLETED);
        assertThat((Long) TypedParam.find(done, "disk_processed").orElseThrow())
                .as("at least the 12 MiB written")
                .isGreaterThanOrEqualTo(12L * MIB);
    }

    @Test
    @Order(40)
    void offlinePeerToPeerMovesOnlyTheDefinition() throws Exception {
        String name = "offl";
        a.defineXml(withDisk(hosts.hostA.guest(name).toXml(), onA));
        long flags = MigrateFlags.OFFLINE
                | MigrateFlags.PERSIST_DEST
                | MigrateFlags.UNDEFINE_SOURCE
                | MigrateFlags.PEER2PEER;
        // Peer-to-peer opens the destination's root itself, which this JVM may open only once.
        hosts.b.close();
        try {
            long t0 = System.nanoTime();
            DomainMigration.migrateToUri(a, a.lookupByName(name), hosts.hostB.uri(), List.of(), flags);
            System.out.printf("[it] offline p2p in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            hosts.b = hosts.hostB.open();
            b = hosts.b;
        }
        DomainRef there = b.lookupByName(name);
        assertThat(b.isPersistent(there)).isTrue();
        assertThat(b.state(there).reason().state()).isEqualTo(DomainState.SHUTOFF);
        assertThat(b.xmlDesc(there, 0)).contains("file='" + onA + "'");
        assertThat(catchThrowable(() -> a.lookupByName(name)))
                .as("undefined on the source")
                .isNotNull();
        b.undefine(there, 0);
    }

    private static long diskProcessed(Connection c) {
        List<TypedParam> stats = c.jobStats(c.lookupByName(GUEST), 0);
        return TypedParam.find(stats, "disk_processed").map(v -> (Long) v).orElse(0L);
    }

    /** {@code qemu-img compare}: whether both images show the guest the same bytes (running QEMUs' images too). */
    private static boolean compare(Path one, Path two) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("qemu-img", "compare", "-U", one.toString(), two.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        System.out.printf("[it] qemu-img compare %s %s: %s", one.getFileName(), two.getFileName(), out);
        return rc == 0;
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", argv) + " failed (" + rc + "): " + out);
        }
        return out;
    }
}

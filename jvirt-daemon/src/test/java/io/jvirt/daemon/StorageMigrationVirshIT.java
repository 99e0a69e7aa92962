package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.driver.root.SecuritySettings;
import io.jvirt.driver.security.QemuAccount;
import io.jvirt.guest.DiskTick;
import io.jvirt.guest.GuestDisk;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Storage migration with the stock virsh between two jvirtds on this machine, on real QEMU: one guest with a
 * qcow2 disk it writes and verifies all along ({@code vda}, the disk workload) and an idle raw disk ({@code vdb}),
 * booted once, moved there and back. Both hosts share this machine's filesystem, so each destination gets its own
 * image paths through {@code --xml}, and jvirt pre-creates the images it is to receive.
 *
 * <ol>
 *   <li>A to B, {@code --p2p --copy-storage-all} while the guest writes: both disks copied into images B made
 *       (vdb's outside both roots, where it stays shared from then on);
 *       {@code --disks-port} is where B's QEMU listens ({@code ss}); with {@code --bandwidth} slowing the copy,
 *       {@code domjobinfo} shows the disk fields ("File processed/remaining/total") before the memory moves;
 *   <li>B to A, {@code --migrate-disks vda --disks-uri unix://…}: only vda is copied (A gets one new image), through
 *       that socket; vdb stays where it is, shared;
 *   <li>A to B into a destination image on a tmpfs too small for the disk: the migration fails with QEMU's reason,
 *       the guest runs on in A verifying its disk, and B keeps no domain, no QEMU and no image;
 *   <li>A to B client-managed (virsh drives both daemons, no {@code --p2p});
 *   <li>B to A with the copy slowed, A's QEMU killed mid-mirror: the guest runs on in B verifying its disk, and A
 *       keeps no domain, no QEMU and no image;
 *   <li>B to A {@code --copy-storage-inc --copy-storage-synchronous-writes --disks-uri tcp://…} into an image A
 *       has already, A's QEMU serving it on that port;
 *   <li>an offline {@code --p2p --persistent --undefinesource} of another, defined guest: the definition moves,
 *       nothing starts.
 * </ol>
 *
 * <p>Each move is proven with {@link GuestIntegrity}, its disk check included: two whole verify passes of what the
 * guest wrote, read back through the destination's image. Runs as root (the tmpfs mount), as CI does.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageMigrationVirshIT {
    private static final String NAME = "stor";
    private static final long DISK_MIBPS = 2;
    private static final long REGION_MIB = 16;
    private static final String VDA_SIZE = "32M";
    private static final long MIB = 1024 * 1024;
    private static final Pattern QEMU_PID = Pattern.compile("pid=(\\d+)");

    private TwoDaemons hosts;
    private VirshHost a;
    private VirshHost b;
    private SerialLog log;
    private Path tmpfs;
    private boolean mounted;

    @BeforeAll
    void bootGuest() throws Exception {
        assertThat(System.getProperty("user.name"))
                .as("the tmpfs mount needs root")
                .isEqualTo("root");
        hosts = TwoDaemons.start("jvirtd-stor-");
        a = hosts.a();
        b = hosts.b();
        Path vda = a.root().resolve("vda.qcow2");
        Path vdb = a.root().resolve("vdb.raw");
        run("qemu-img", "create", "-q", "-f", "qcow2", vda.toString(), VDA_SIZE);
        run("qemu-img", "create", "-q", "-f", "raw", vdb.toString(), "8M");
        long t0 = System.nanoTime();
        log = hosts.boot(
                a,
                NAME,
                g -> g.memoryMiB(192)
                        .fillMiB(32)
                        .disk(GuestDisk.file(vda).format(GuestDisk.Format.QCOW2))
                        .disk(GuestDisk.file(vdb).on(GuestDisk.Bus.VIRTIO, "vdb"))
                        .diskWorkload(DISK_MIBPS, REGION_MIB));
        System.out.printf("[it] boot %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void stopAll() throws Exception {
        try {
            unmount();
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    @Test
    @Order(10)
    void copyStorageAllWhileTheGuestWritesIntoImagesTheDestinationMakes() throws Exception {
        Path vda = b.root().resolve("vda.qcow2");
        Path vdb = Files.createDirectories(hosts.base.resolve("shared")).resolve("vdb.raw");
        assertThat(vda).doesNotExist();
        Path xml = destinationXml(a, "to-b.xml", "vda.qcow2", vda, "vdb.raw", vdb);
        int port = freePortOutsideTheMigrationRange();
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        long t0 = System.nanoTime();
        // 12 MiB/s (zeros count too): the 40 MiB of both disks take seconds to copy, time to look at the job and the
        // NBD server. The guest writes 2 MiB/s, so the mirrors converge.
        CompletableFuture<Virsh.Result> migration = async(
                a,
                "migrate",
                "--live",
                "--p2p",
                "--persistent",
                "--copy-storage-all",
                "--xml",
                xml.toString(),
                "--disks-port",
                Integer.toString(port),
                "--bandwidth",
                "12",
                NAME,
                b.uri());

        String during = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> a.virsh().run("domjobinfo", NAME).out(),
                        out -> JobInfo.mib(out, "File processed").orElse(0) > 0);
        assertThat(JobInfo.mib(during, "File total").orElse(0))
                .as("disk total while the disks copy:\n" + during)
                .isGreaterThan(0);
        assertThat(JobInfo.mib(during, "File remaining").orElse(0))
                .as("disk remaining while the disks copy:\n" + during)
                .isGreaterThan(0);
        assertThat(JobInfo.processedMiB(during))
                .as("no memory is sent before the disks are ready:\n" + during)
                .isZero();
        String listener = listenerOn(port);
        assertThat(listener).as("what listens on --disks-port " + port).contains("qemu-system");
        assertThat(commandLine(pidOf(listener)))
                .as("the QEMU listening on " + port + " is B's")
                .contains(b.root().toString());
        assertThat(vda).as("B pre-created the image it receives").exists();
        Virsh.Result speed = a.virsh().run("migrate-setspeed", NAME, "1000");
        assertThat(speed.exit()).as(speed.all()).isZero();
        // Only a cost: once the mirrors are ready the memory moves (at the new speed).
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> migration.isDone()
                        || JobInfo.processedMiB(
                                        a.virsh().run("domjobinfo", NAME).out())
                                > 0);
        System.out.printf(
                "[it] copy-storage-all A->B: disks ready, memory moving after %.2f s%n",
                (System.nanoTime() - t0) / 1e9);

        Virsh.Result r = migration.get(120, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.all()).isZero();
        printCost("copy-storage-all A->B (p2p)", a, t0);
        assertMoved(whole, a, b);
        assertThat(imageInfo(vda)).contains("file format: qcow2", "virtual size: 32 MiB");
        assertThat(imageInfo(vdb)).contains("file format: raw");
        assertThat(b.virsh().run("domblklist", NAME).out())
                .containsPattern("vda\\s+" + vda)
                .containsPattern("vdb\\s+" + vdb);
        assertThat(listenerOn(port))
                .as("the NBD server stopped with the migration")
                .isEmpty();
    }

    @Test
    @Order(20)
    void migrateDisksCopiesOnlyTheNamedDiskThroughTheDisksUri() throws Exception {
        Path vda = a.root().resolve("vda-back.qcow2");
        Path vdb = hosts.base.resolve("shared/vdb.raw");
        // QEMU makes this socket as jvirt.conf's user (jvirt-qemu), so it goes in a directory that user owns, as
        // libvirt's --disks-uri needs too.
        Path sockets = Files.createDirectories(hosts.base.resolve("nbd"));
        Files.setAttribute(
                sockets,
                "unix:uid",
                QemuAccount.resolve(SecuritySettings.DEFAULT).uid());
        Path socket = sockets.resolve("nbd-in.sock");
        Path xml = destinationXml(b, "to-a.xml", "vda.qcow2", vda, null, null);
        Set<Path> before = files(a.root());
        FileTime vdbWritten = Files.getLastModifiedTime(vdb);
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, b.guest());
        long t0 = System.nanoTime();
        CompletableFuture<Virsh.Result> migration = async(
                b,
                "migrate",
                "--live",
                "--p2p",
                "--persistent",
                "--copy-storage-all",
                "--migrate-disks",
                "vda",
                "--disks-uri",
                "unix://" + socket,
                "--xml",
                xml.toString(),
                NAME,
                a.uri());

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(socket) || migration.isDone());
        assertThat(socket)
                .as("A's QEMU serves the disks on the --disks-uri socket")
                .exists();
        String listener = run("ss", "-lxpH", "src", socket.toString()).strip();
        assertThat(commandLine(pidOf(listener)))
                .as("the QEMU listening on " + socket + " is A's")
                .contains(a.root().toString());
        Virsh.Result r = migration.get(120, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.all()).isZero();
        printCost("migrate-disks vda, disks-uri unix, B->A (p2p)", b, t0);
        assertMoved(whole, b, a);
        assertThat(socket).as("the NBD server's socket went with it").doesNotExist();
        Set<Path> made = files(a.root());
        made.removeAll(before);
        assertThat(made).as("the images A made: vda's only").containsExactly(vda);
        assertThat(Files.getLastModifiedTime(vdb))
                .as("nothing was written to the shared vdb (no mirror into it)")
                .isEqualTo(vdbWritten);
        assertThat(a.virsh().run("domblklist", NAME).out())
                .containsPattern("vda\\s+" + vda)
                .containsPattern("vdb\\s+" + vdb);
    }

    @Test
    @Order(30)
    void aDestinationDiskThatFillsUpLeavesTheGuestWritingOnTheSource() throws Exception {
        // The guest has written more of its region than the tmpfs holds.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> log.latest()
                                        .flatMap(GuestTick::disk)
                                        .map(DiskTick::writes)
                                        .orElse(0L)
                                * 4096
                        > 12 * MIB);
        tmpfs = Files.createDirectories(hosts.base.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", tmpfs.toString());
        mounted = true;
        Path vda = tmpfs.resolve("vda.qcow2");
        Path xml = destinationXml(a, "to-small.xml", "vda-back.qcow2", vda, null, null);
        StateReason reason = a.guest().status(NAME).orElseThrow().reason();
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        long t0 = System.nanoTime();

        Virsh.Result r = a.virsh()
                .run(
                        "migrate",
                        "--live",
                        "--p2p",
                        "--persistent",
                        "--copy-storage-all",
                        "--migrate-disks",
                        "vda",
                        "--xml",
                        xml.toString(),
                        NAME,
                        b.uri());

        System.out.printf("[it] disk full A->B: failed after %.2f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("error: operation failed: migration of disk vda failed: No space left on device");
        whole.assertStayed(reason).andGoneFrom(b.guest());
        assertThat(b.names()).as("B's domains").doesNotContain(NAME);
        hosts.assertNothingStray();
        try (Stream<Path> left = Files.list(tmpfs)) {
            assertThat(left.toList()).as("left on B's full disk").isEmpty();
        }
        unmount();
    }

    @Test
    @Order(40)
    void clientManagedCopyStorageAll() throws Exception {
        Path vda = b.root().resolve("vda-cm.qcow2");
        Path xml = destinationXml(a, "to-b-cm.xml", "vda-back.qcow2", vda, null, null);
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, a.guest());
        long t0 = System.nanoTime();

        Virsh.Result r = a.virsh()
                .run(
                        "migrate",
                        "--live",
                        "--persistent",
                        "--copy-storage-all",
                        "--migrate-disks",
                        "vda",
                        "--xml",
                        xml.toString(),
                        NAME,
                        b.uri());

        assertThat(r.exit()).as(r.all()).isZero();
        printCost("copy-storage-all A->B (client-managed)", a, t0);
        assertMoved(whole, a, b);
        assertThat(imageInfo(vda)).contains("file format: qcow2");
    }

    @Test
    @Order(50)
    void aDestinationQemuKilledMidMirrorLeavesTheGuestWritingOnTheSource() throws Exception {
        // The guest is on B since the client-managed hop; back to A, with the copy slowed so it is caught midway.
        Path vda = a.root().resolve("vda-killed.qcow2");
        Path xml = destinationXml(b, "to-a-killed.xml", "vda-cm.qcow2", vda, null, null);
        StateReason reason = b.guest().status(NAME).orElseThrow().reason();
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, b.guest());
        CompletableFuture<Virsh.Result> migrate = async(
                b,
                "migrate",
                "--live",
                "--p2p",
                "--persistent",
                "--copy-storage-all",
                "--migrate-disks",
                "vda",
                "--bandwidth",
                "2",
                "--xml",
                xml.toString(),
                NAME,
                a.uri());
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> a.guest().qemuPid(NAME).isPresent()
                        && JobInfo.mib(b.virsh().run("domjobinfo", NAME).out(), "File processed")
                                        .orElse(0)
                                > 0);
        long incoming = a.guest().qemuPid(NAME).getAsLong();
        run("kill", "-KILL", Long.toString(incoming));

        Virsh.Result r = migrate.get(120, TimeUnit.SECONDS);
        System.out.println("[it] destination killed mid-mirror: " + r.err().strip());
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("error: operation failed: migration of disk vda failed: Input/output error");
        whole.assertStayed(reason).andGoneFrom(a.guest());
        assertThat(a.names()).as("A's domains").doesNotContain(NAME);
        assertThat(vda).as("the image A made").doesNotExist();
        hosts.assertNothingStray();
    }

    @Test
    @Order(55)
    void copyStorageIncIntoAnImageTheDestinationHasWithSynchronousWritesOverTcp() throws Exception {
        // The guest is on B after the killed copy. With -inc the destination's image must be there already.
        Path vda = a.root().resolve("vda-inc.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", vda.toString(), VDA_SIZE);
        Path xml = destinationXml(b, "to-a-inc.xml", "vda-cm.qcow2", vda, null, null);
        int port = freePortOutsideTheMigrationRange();
        GuestIntegrity whole = GuestIntegrity.before(log, NAME, b.guest());
        long t0 = System.nanoTime();
        CompletableFuture<Virsh.Result> migration = async(
                b,
                "migrate",
                "--live",
                "--p2p",
                "--persistent",
                "--copy-storage-inc",
                "--copy-storage-synchronous-writes",
                "--migrate-disks",
                "vda",
                "--disks-uri",
                "tcp://127.0.0.1:" + port,
                "--xml",
                xml.toString(),
                NAME,
                a.uri());

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !listenerOn(port).isEmpty() || migration.isDone());
        String listener = listenerOn(port);
        assertThat(listener)
                .as("A's QEMU serves the disks on the --disks-uri port")
                .isNotEmpty();
        assertThat(commandLine(pidOf(listener))).contains(a.root().toString());
        Virsh.Result r = migration.get(120, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.all()).isZero();
        printCost("copy-storage-inc, synchronous writes, disks-uri tcp, B->A (p2p)", b, t0);
        assertMoved(whole, b, a);
        assertThat(listenerOn(port))
                .as("the NBD server went with the migration")
                .isEmpty();
        assertThat(a.virsh().run("domblklist", NAME).out()).containsPattern("vda\\s+" + vda);
    }

    @Test
    @Order(60)
    void offlineP2pMovesTheDefinitionOnly() throws Exception {
        Path xml = hosts.base.resolve("cold.xml");
        Files.writeString(xml, TwoDaemons.guestXml("cold", hosts.base.resolve("cold.serial.log"), g -> g));
        assertThat(a.virsh().run("define", xml.toString()).exit()).isZero();
        String uuid = a.virsh().run("domuuid", "cold").out().strip();

        Virsh.Result r =
                a.virsh().run("migrate", "--offline", "--persistent", "--undefinesource", "--p2p", "cold", b.uri());

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(a.names()).as("A's domains").doesNotContain("cold");
        // A definition that arrives offline has never run: shut off, reason unknown, as a defined one in libvirt.
        assertThat(b.domstate("cold")).isEqualTo("shut off (unknown)");
        assertThat(b.virsh().run("domuuid", "cold").out().strip()).isEqualTo(uuid);
        assertThat(b.guest().qemuPid("cold"))
                .as("no QEMU started for an offline migration")
                .isEmpty();
        assertThat(b.virsh().run("undefine", "cold").exit()).isZero();
    }

    /** The guest arrived whole on {@code to} and left {@code from}; the source's definition goes for the next hop. */
    private void assertMoved(GuestIntegrity whole, VirshHost from, VirshHost to) throws Exception {
        assertThat(to.domstate(NAME)).isEqualTo("running (migrated)");
        assertThat(from.domstate(NAME)).isEqualTo("shut off (migrated)");
        whole.assertMovedTo(to.guest(), StateReason.RUNNING_MIGRATED).andOn(from.guest(), StateReason.SHUTOFF_MIGRATED);
        hosts.assertNothingStray();
        assertThat(from.virsh().run("undefine", NAME).exit()).isZero();
    }

    /**
     * {@code virsh dumpxml --migratable} on {@code from} with the images named {@code vdaNow} and {@code vdbNow}
     * (file names under its root) moved to {@code vda} and {@code vdb} (null: that disk keeps its path).
     */
    private Path destinationXml(VirshHost from, String file, String vdaNow, Path vda, String vdbNow, Path vdb)
            throws Exception {
        String xml = from.virsh().run("dumpxml", "--migratable", NAME).out();
        xml = moved(xml, vdaNow, vda);
        if (vdb != null) {
            xml = moved(xml, vdbNow, vdb);
        }
        Path out = hosts.base.resolve(file);
        Files.writeString(out, xml);
        return out;
    }

    private static String moved(String xml, String now, Path to) {
        Matcher m = Pattern.compile("file='[^']*/" + Pattern.quote(now) + "'").matcher(xml);
        assertThat(m.find()).as("a disk at " + now + " in\n" + xml).isTrue();
        return m.replaceFirst("file='" + to + "'");
    }

    private static CompletableFuture<Virsh.Result> async(VirshHost on, String... args) {
        CompletableFuture<Virsh.Result> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(on.virsh().run(args));
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static void printCost(String label, VirshHost source, long t0) throws Exception {
        double seconds = (System.nanoTime() - t0) / 1e9;
        String done = source.virsh().run("domjobinfo", "--completed", NAME).out();
        System.out.printf(
                "[it] %s: %.2f s wall, disks %.0f MiB, memory %.0f MiB%n",
                label, seconds, JobInfo.mib(done, "File processed").orElse(0), JobInfo.processedMiB(done));
    }

    /** {@code ss}'s line for a TCP socket listening on {@code port}, with its process; empty when none. */
    private static String listenerOn(int port) throws Exception {
        return run("ss", "-ltnpH", "sport = :" + port).strip();
    }

    private static long pidOf(String ssLine) {
        Matcher m = QEMU_PID.matcher(ssLine);
        assertThat(m.find()).as("a pid in " + ssLine).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String commandLine(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    }

    /** A port nobody listens on, outside the daemons' migration range (49152–49215), for {@code --disks-port}. */
    private static int freePortOutsideTheMigrationRange() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                if (port < 49152 || port > 49215) {
                    return port;
                }
            }
        }
    }

    private static Set<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }

    private static String imageInfo(Path image) throws Exception {
        return run("qemu-img", "info", "-U", image.toString());
    }

    /**
     * Unmounts the small tmpfs; lazily when a failed test left a QEMU holding a file on it, so the fixture can still
     * delete the base directory once it has killed that QEMU.
     */
    private void unmount() throws Exception {
        if (mounted) {
            run("umount", "--lazy", tmpfs.toString());
            mounted = false;
        }
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }
}

package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DumpFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.JobType;
import io.jvirt.api.SaveFlags;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.driver.process.ProcessInspector;
import io.jvirt.guest.GuestHost;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * Save and restore of the test guest on real QEMU: one guest is saved and restored in every format in turn; after
 * each restore its tick counter continues where it stopped, its uptime did not restart, and its memory pattern is
 * intact. Then the failure cases: each leaves the guest running and no image that claims to be complete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Generous: the format loop compresses 512 MiB six times (bzip2 and xz alone take minutes on a loaded machine).
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class SaveRestoreIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "save1";
    private static final Duration TICK = Duration.ofSeconds(30);
    private static final List<String> FORMATS = List.of("raw", "gzip", "bzip2", "xz", "lzop", "zstd");

    private TestHost host;
    private Connection conn;
    private SerialLog serial;
    private final Map<String, Long> sizes = new LinkedHashMap<>();

    @BeforeAll
    void boot() throws Exception {
        host = new TestHost("save");
        serial = host.serial(GUEST);
        conn = host.open();
        // The size: a 512 MiB guest with 384 MiB of patterned memory.
        DomainRef ref =
                conn.defineXml(host.guest(GUEST).memoryMiB(512).fillMiB(384).toXml());
        conn.create(ref, 0);
        serial.awaitReady(TestHost.BOOT);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (conn != null) {
            conn.close();
        }
        host.close();
    }

    private DomainRef guest() {
        return conn.lookupByName(GUEST);
    }

    /** The host as GuestIntegrity sees it, through the connection the test holds now. */
    private GuestHost self() {
        return host.guestHost("host", conn);
    }

    private GuestIntegrity check() {
        return GuestIntegrity.before(serial, GUEST, self());
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        host.assertNoStrayQemu(conn);
    }

    private Path image(String name) {
        return host.root().resolve(name);
    }

    @Test
    @Order(10)
    void everyFormatSavesAndRestoresTheRunningGuest() throws Exception {
        for (String format : FORMATS) {
            GuestIntegrity check = check();
            long pid = check.beforePid();
            Path file = image(GUEST + "." + format + ".save");
            long t0 = System.nanoTime();
            conn.save(guest(), file.toString(), null, format, 0);
            long saveMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(conn.state(guest()).reason()).as(format).isEqualTo(StateReason.SHUTOFF_SAVED);
            assertThat(ProcessInspector.isAlive(pid)).isFalse();
            assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .startsWith("LibvirtQemudSave");
            assertThat(conn.saveImageXml(file.toString(), 0)).contains("<name>" + GUEST + "</name>");
            sizes.put(format, Files.size(file));

            t0 = System.nanoTime();
            conn.restore(file.toString(), null, 0);
            long restoreMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(
                    "[it] %s: %d bytes, save %d ms, restore %d ms%n", format, Files.size(file), saveMs, restoreMs);

            check.assertMovedTo(self(), StateReason.RUNNING_RESTORED);
        }
        for (String format : FORMATS.subList(1, FORMATS.size())) {
            assertThat(sizes.get(format))
                    .as("%s image smaller than raw", format)
                    .isLessThan(sizes.get("raw"));
        }
        List<TypedParam> completed = conn.jobStats(guest(), JobStatsFlags.COMPLETED);
        assertThat(TypedParam.find(completed, "type")).contains(JobType.COMPLETED.wire());
    }

    @Test
    @Order(20)
    void pausedRestoreStaysPausedAndAPausedSaveComesBackPaused() throws Exception {
        Path file = image("paused.save");
        GuestIntegrity check = check();
        conn.save(guest(), file.toString(), null, "raw", 0);
        conn.restore(file.toString(), null, SaveFlags.PAUSED);
        assertThat(conn.state(guest()).state()).isEqualTo(io.jvirt.api.DomainState.PAUSED);
        long frozen = serial.latest().orElseThrow().tick();
        // A paused restore runs no guest code: no tick for three tick periods.
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> serial.latest().orElseThrow().tick() == frozen);
        conn.save(guest(), file.toString(), null, "raw", 0);
        conn.restore(file.toString(), null, 0);
        assertThat(conn.state(guest()).state())
                .as("was paused at save time")
                .isEqualTo(io.jvirt.api.DomainState.PAUSED);
        conn.resume(guest());
        check.assertMovedTo(self(), StateReason.RUNNING_UNPAUSED);

        // --paused at save time makes a running guest come back paused.
        check = check();
        conn.save(guest(), file.toString(), null, "raw", SaveFlags.PAUSED);
        conn.restore(file.toString(), null, 0);
        assertThat(conn.state(guest()).state()).isEqualTo(io.jvirt.api.DomainState.PAUSED);
        conn.resume(guest());
        check.assertMovedTo(self(), StateReason.RUNNING_UNPAUSED);
    }

    @Test
    @Order(30)
    void managedSaveIsRestoredByStart() {
        GuestIntegrity check = check();
        conn.managedSave(guest(), 0);
        assertThat(conn.hasManagedSaveImage(guest())).isTrue();
        assertThat(conn.state(guest()).reason()).isEqualTo(StateReason.SHUTOFF_SAVED);
        conn.create(guest(), 0);
        assertThat(conn.hasManagedSaveImage(guest())).isFalse();
        check.assertMovedTo(self(), StateReason.RUNNING_RESTORED);
    }

    @Test
    @Order(40)
    void abortedSaveResumesTheGuestAndLeavesNoImage() throws Exception {
        Path file = image("aborted.save");
        GuestIntegrity check = check();
        CompletableFuture<Void> save =
                CompletableFuture.runAsync(() -> conn.save(guest(), file.toString(), null, "xz", 0));
        await().atMost(TICK)
                .until(() -> conn.jobInfo(guest()).type() == JobType.UNBOUNDED
                        && conn.jobInfo(guest()).memProcessed() > 0);
        conn.abortJob(guest());
        Throwable failed = catchThrowable(save::join);
        assertThat(file).doesNotExist();
        check.assertStayed(StateReason.RUNNING_SAVE_CANCELED);
        TwoHosts.assertVirtError(failed, ErrorCode.OPERATION_ABORTED, "job 'domain save' canceled by client");
    }

    @Test
    @Order(42)
    void compressorKilledMidwayIsAClearErrorAndTheGuestResumes() throws Exception {
        Path file = image("killed.save");
        GuestIntegrity check = check();
        CompletableFuture<Void> save =
                CompletableFuture.runAsync(() -> conn.save(guest(), file.toString(), null, "xz", 0));
        ProcessHandle xz = await().atMost(TICK)
                .until(
                        () -> ProcessHandle.current()
                                .descendants()
                                .filter(p -> p.info().command().orElse("").endsWith("/xz"))
                                .findFirst()
                                .orElse(null),
                        p -> p != null);
        await().atMost(TICK).until(() -> conn.jobInfo(guest()).memProcessed() > 0);
        xz.destroyForcibly();
        Throwable failed = catchThrowable(save::join);
        assertThat(file).doesNotExist();
        assertThat(xz.isAlive()).isFalse();
        check.assertStayed(StateReason.RUNNING_SAVE_CANCELED);
        TwoHosts.assertVirtError(failed, ErrorCode.OPERATION_FAILED, "xz");
    }

    @Test
    @Order(44)
    void fullDiskIsAClearErrorAndTheGuestResumes() throws Exception {
        Path small = Files.createDirectories(image("small-disk"));
        GuestIntegrity check = check();
        Throwable failed;
        run("mount", "-t", "tmpfs", "-o", "size=16m", "jvirt-it-full", small.toString());
        try {
            Path file = small.resolve("full.save");
            failed = catchThrowable(() -> conn.save(guest(), file.toString(), null, "raw", 0));
            assertThat(file).doesNotExist();
        } finally {
            run("umount", small.toString());
        }
        check.assertStayed(StateReason.RUNNING_SAVE_CANCELED);
        TwoHosts.assertVirtError(
                failed,
                ErrorCode.OPERATION_FAILED,
                "job 'domain save' failed: cannot write save image '" + small.resolve("full.save")
                        + "': No space left on device");
    }

    @Test
    @Order(46)
    void memoryOnlyDumpIsAnElfCoreAndTheGuestKeepsRunning() throws Exception {
        Path core = image("guest.core");
        GuestIntegrity check = check();
        conn.coreDump(guest(), core.toString(), DumpFlags.FORMAT_RAW, DumpFlags.MEMORY_ONLY);
        Process readelf = new ProcessBuilder("readelf", "-h", core.toString())
                .redirectErrorStream(true)
                .start();
        String header = new String(readelf.getInputStream().readAllBytes());
        assertThat(readelf.waitFor()).as(header).isZero();
        assertThat(header).contains("ELF64").contains("CORE");
        // The dump paused the guest and let it go on after, as libvirt's does: running (unpaused).
        check.assertStayed(StateReason.RUNNING_UNPAUSED);
    }

    @Test
    @Order(48)
    void defaultDumpIsQemusMigrationStreamCompressedAsConfigured() throws Exception {
        Path raw = image("guest.dump");
        conn.coreDump(guest(), raw.toString(), DumpFlags.FORMAT_RAW, 0);
        assertThat(java.util.Arrays.copyOf(Files.readAllBytes(raw), 4))
                .as("QEMU's stream magic")
                .isEqualTo("QEVM".getBytes());

        GuestIntegrity check = check();
        StateReason reason = conn.state(guest()).reason();
        conn.close();
        Files.writeString(host.root().resolve("etc/jvirt.conf"), "dump_image_format = \"gzip\"\n");
        conn = host.open();
        // The reopened driver took over the running guest: the same QEMU, the guest whole.
        check.assertStayed(self(), reason);
        Path gz = image("guest.dump.gz");
        conn.coreDump(guest(), gz.toString(), DumpFlags.FORMAT_RAW, 0);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(gz), 2);
        assertThat(head).isEqualTo(new byte[] {(byte) 0x1f, (byte) 0x8b});
        assertThat(Files.size(gz)).isLessThan(Files.size(raw));
        assertThat(conn.state(guest()).state()).isEqualTo(io.jvirt.api.DomainState.RUNNING);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }

    @Test
    @Order(50)
    void badImagesAreRefusedAndNothingStarts() throws Exception {
        conn.destroy(guest(), 0);
        Path junk = image("junk.save");
        Files.writeString(junk, "not a save image. ".repeat(20));
        assertThatThrownBy(() -> conn.restore(junk.toString(), null, 0))
                .satisfies(e -> TwoHosts.assertVirtError(e, ErrorCode.OPERATION_FAILED, "image magic is incorrect"));
        assertThat(conn.isActive(guest())).isFalse();

        for (String format : List.of("raw", "zstd")) {
            Path whole = image(GUEST + "." + format + ".save");
            Path truncated = image("truncated." + format + ".save");
            byte[] bytes = Files.readAllBytes(whole);
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            assertThatThrownBy(() -> conn.restore(truncated.toString(), null, 0))
                    .as(format)
                    .satisfies(e -> TwoHosts.assertVirtError(e, ErrorCode.OPERATION_FAILED, "restore"));
            assertThat(conn.isActive(guest()))
                    .as("nothing started from a truncated %s image", format)
                    .isFalse();
            assertThat(conn.state(guest()).state()).isEqualTo(io.jvirt.api.DomainState.SHUTOFF);
        }
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .map(p -> p.info().command().orElse(""))
                        .toList())
                .as("no QEMU or compressor left behind")
                .noneMatch(c -> c.matches(".*/(qemu-system.*|gzip|bzip2|xz|lzop|zstd)"));
    }
}

package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.wire.QmpMonitor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test guest's disk workload and network address on real QEMU (TCG), booted directly: a raw file on virtio
 * ({@code -drive if=virtio}) and a virtio NIC on a tap that a bridge in a network namespace of the test's own
 * holds ({@link BridgeNetns}). The writer's guest answers ping and verifies its disk; a byte flipped in the image
 * on the host is found at its sector (so the guest reads the virtual disk, not its page cache); after power off a
 * second guest that only verifies finds the writer's whole history, then a flip of its own. Two boots, the second
 * small. Needs root (network namespaces): CI runs as root.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GuestDiskNetIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DISK_TIMEOUT = Duration.ofSeconds(90);
    private static final long SEED = 13;
    private static final long REGION_MIB = 32;
    private static final long BLOCKS = REGION_MIB * 256; // 4 KiB blocks
    private static final long WRITE_MIBPS = 2;
    private static final long MEMORY_MIB = 160;
    private static GuestImage image;

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private BridgeNetns netns;

    @BeforeAll
    static void build() {
        assertThat(System.getProperty("user.name"))
                .as("network namespaces and taps need root")
                .isEqualTo("root");
        long t0 = System.nanoTime();
        image = GuestBuilder.ensureBuilt();
        System.out.printf("guest build/cache check took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterEach
    void stopQemuThenRemoveTheNamespace() throws Exception {
        for (Process qemu : started) {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
                qemu.waitFor();
            }
        }
        if (netns != null) {
            String name = netns.name();
            netns.close();
            assertThat(Files.readString(Path.of("/proc/self/mounts"))).doesNotContain("/run/netns/" + name);
        }
    }

    @Test
    void theGuestAnswersPingAndVerifiesItsDiskThroughTheVirtualDisk() throws Exception {
        Path disk = dir.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength((REGION_MIB + 8) << 20); // sparse: reads as zeros, which are no valid block
        }
        netns = BridgeNetns.create();
        GuestXml writer = GuestXml.named("disk-net")
                .memoryMiB(MEMORY_MIB)
                .fillMiB(32)
                .seed(SEED)
                .diskWorkload("/dev/vda", WRITE_MIBPS, REGION_MIB)
                .ip(BridgeNetns.GUEST_ADDRESS + "/" + BridgeNetns.PREFIX)
                .gateway(BridgeNetns.HOST_ADDRESS)
                .serialFile(dir.resolve("writer.log"));
        SerialLog serial = new SerialLog(writer.serialFile());
        long t0 = System.nanoTime();
        Process qemu = boot(
                writer,
                disk,
                netns.exec(List.of()),
                List.of(
                        "-netdev",
                        "tap,id=n0,ifname=" + BridgeNetns.TAP + ",script=no,downscript=no",
                        "-device",
                        "virtio-net-pci,netdev=n0,mac=" + GuestNic.macFor(writer.name())));
        serial.awaitReady(BOOT_TIMEOUT);
        System.out.printf("writer guest ready %d ms after QEMU started%n", ms(t0));

        // The network: init configured eth0 from jvirt.ip and said so once; the kernel answers ping.
        assertThat(Files.readString(writer.serialFile(), StandardCharsets.ISO_8859_1))
                .contains("jvirt-guest net eth0 addr=" + BridgeNetns.GUEST_ADDRESS + "/24 gw="
                        + BridgeNetns.HOST_ADDRESS + " mac=" + GuestNic.macFor(writer.name()));
        long tPing = System.nanoTime();
        int replies = netns.ping(BridgeNetns.GUEST_ADDRESS, 5);
        System.out.printf("ping from the bridge: %d of 5 replies in %d ms%n", replies, ms(tPing));
        assertThat(replies).as("replies to 5 pings").isEqualTo(5);

        // The disk: writes at the set rate, passes rising, every tick ok.
        long tDisk = System.nanoTime();
        DiskTick early =
                disk(serial.awaitTickAfter(serial.latest().orElseThrow().tick(), DISK_TIMEOUT));
        serial.awaitDiskPasses(early.passes() + 3, DISK_TIMEOUT);
        GuestTick first = serial.ticks().stream()
                .filter(t -> disk(t).writes() > 0)
                .findFirst()
                .orElseThrow();
        awaitWrites(serial, BLOCKS / 2);
        GuestTick now = serial.latest().orElseThrow();
        double mibps =
                (disk(now).writes() - disk(first).writes()) / 256.0 / ((now.uptimeMs() - first.uptimeMs()) / 1000.0);
        System.out.printf(
                "disk workload: %d passes, %d writes, %.1f MiB/s written (configured %d) in %d ms%n",
                disk(now).passes(), disk(now).writes(), mibps, WRITE_MIBPS, ms(tDisk));
        assertThat(serial.ticks()).allSatisfy(t -> assertThat(disk(t).ok()).isTrue());
        assertThat(mibps).as("achieved write rate").isBetween(WRITE_MIBPS * 0.5, WRITE_MIBPS * 1.5);

        // A block half a region behind the writer, which will not write it again for several seconds: flipped on
        // the host, the guest must find it at its sector on its next pass.
        long writesAtFlip = disk(serial.latest().orElseThrow()).writes();
        long block = Math.floorMod(writesAtFlip - BLOCKS / 2, BLOCKS);
        long byteAt = block * 4096 + 1000;
        byte original = flip(disk, byteAt);
        GuestTick bad = awaitBadDisk(serial);
        assertThat(disk(bad).badSector()).isEqualTo(byteAt / 512);
        assertThat(disk(bad).writes() - writesAtFlip)
                .as("the writer had not come round to the flipped block yet")
                .isLessThan(BLOCKS / 2);
        assertThat(bad.patternOk()).as("memory is unaffected").isTrue();

        // Power off: the disk thread stops and flushes, and says how far it wrote.
        try (Monitor qmp = QmpMonitor.connect(
                qmpSocket(writer), "guest-disk-net-it", new RecordingMonitorListener(), QMP_TIMEOUT)) {
            qmp.systemPowerdown();
        }
        assertThat(qemu.waitFor(60, TimeUnit.SECONDS))
                .as("QEMU exits on power off")
                .isTrue();
        long finalWrites = serial.diskWritesAtPowerdown().orElseThrow();
        assertThat(finalWrites - writesAtFlip)
                .as("block %d was not rewritten before power off", block)
                .isLessThan(BLOCKS / 2);
        restore(disk, byteAt, original);

        // A second guest only verifies: it finds the writer's count and a sound disk, then a flip of its own.
        GuestXml verifier = GuestXml.named("disk-verify")
                .memoryMiB(MEMORY_MIB)
                .fillMiB(16)
                .seed(SEED)
                .diskWorkload("/dev/vda", 0, REGION_MIB)
                .serialFile(dir.resolve("verifier.log"));
        SerialLog verified = new SerialLog(verifier.serialFile());
        long t1 = System.nanoTime();
        boot(verifier, disk, List.of(), List.of());
        verified.awaitReady(BOOT_TIMEOUT);
        verified.awaitDiskPasses(2, DISK_TIMEOUT);
        System.out.printf("verifying guest: 2 passes over %d MiB %d ms after QEMU started%n", REGION_MIB, ms(t1));
        assertThat(verified.ticks()).allSatisfy(t -> assertThat(disk(t).ok()).isTrue());
        assertThat(disk(verified.latest().orElseThrow()).writes())
                .as("the verifier found the writer's whole history")
                .isEqualTo(finalWrites);
        long byteAt2 = (block + BLOCKS / 4) % BLOCKS * 4096 + 8;
        flip(disk, byteAt2);
        assertThat(disk(awaitBadDisk(verified)).badSector()).isEqualTo(byteAt2 / 512);
    }

    private Process boot(GuestXml guest, Path disk, List<String> prefix, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                GuestXml.EMULATOR,
                "-accel",
                "tcg",
                "-machine",
                "pc",
                "-m",
                Long.toString(MEMORY_MIB),
                "-smp",
                "1",
                "-nodefaults",
                "-display",
                "none",
                "-kernel",
                image.kernel().toString(),
                "-initrd",
                image.initrd().toString(),
                "-append",
                guest.kernelCmdline(),
                "-serial",
                "file:" + guest.serialFile(),
                "-drive",
                "file=" + disk + ",format=raw,if=virtio",
                "-qmp",
                "unix:" + qmpSocket(guest) + ",server=on,wait=off"));
        command.addAll(extra);
        Process qemu = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(guest.name() + ".qemu.out").toFile())
                .start();
        started.add(qemu);
        return qemu;
    }

    private Path qmpSocket(GuestXml guest) {
        return dir.resolve(guest.name() + ".qmp");
    }

    private static DiskTick disk(GuestTick tick) {
        return tick.disk().orElseThrow(() -> new AssertionError("tick " + tick.tick() + " has no disk state"));
    }

    private static void awaitWrites(SerialLog serial, long writes) {
        long deadline = System.nanoTime() + DISK_TIMEOUT.toNanos();
        GuestTick t = serial.latest().orElseThrow();
        while (disk(t).writes() < writes && System.nanoTime() < deadline) {
            t = serial.awaitTickAfter(t.tick(), DISK_TIMEOUT);
        }
        assertThat(disk(t).writes()).as("block writes").isGreaterThanOrEqualTo(writes);
    }

    private static GuestTick awaitBadDisk(SerialLog serial) {
        long deadline = System.nanoTime() + DISK_TIMEOUT.toNanos();
        GuestTick t = serial.latest().orElseThrow();
        while (disk(t).ok() && System.nanoTime() < deadline) {
            t = serial.awaitTickAfter(t.tick(), DISK_TIMEOUT);
        }
        assertThat(disk(t).ok()).as("the guest found the flipped byte").isFalse();
        return t;
    }

    private static byte flip(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            byte b = f.readByte();
            f.seek(at);
            f.writeByte(b ^ 0x5a);
            return b;
        }
    }

    private static void restore(Path file, long at, byte original) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.writeByte(original);
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

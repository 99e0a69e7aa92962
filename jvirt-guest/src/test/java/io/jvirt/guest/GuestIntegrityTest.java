package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainStatus;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GuestIntegrity} cannot pass by accident: with real short-lived processes standing in for the old and the
 * new QEMU (their pids written into status files as the driver writes them) and a connection that answers only
 * the state look-up, each way a guest can come through broken fails with a message naming it.
 */
class GuestIntegrityTest {
    private static final String NAME = "g";
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private Process oldQemu;
    private Process newQemu;
    private GuestHost source;
    private GuestHost destination;
    private SerialLog serial;
    private long tick;
    private long uptime;
    private long sweep;
    private boolean disk;
    private long diskWrites;
    private long diskPass;
    private String diskVerdict = "ok";

    @BeforeEach
    void twoHostsAndAGuest() throws IOException {
        oldQemu = new ProcessBuilder("sleep", "600").start();
        newQemu = new ProcessBuilder("sleep", "600").start();
        source = host("src", Map.of());
        destination = host("dst", Map.of(NAME, StateReason.RUNNING_MIGRATED));
        status(source, oldQemu.pid());
        serial = new SerialLog(dir.resolve("serial.log"));
        append("jvirt-guest start fill_mib=64 dirty_mibps=0 seed=7 sweep_percent=25");
        ticks(10);
        sweeps(7);
    }

    @AfterEach
    void endProcesses() {
        oldQemu.destroyForcibly();
        newQemu.destroyForcibly();
    }

    @Test
    void aGuestThatGoesOnAfterTheOldQemuExitedPasses() throws IOException {
        GuestIntegrity check = before().onMarked(() -> goOn(2, 2));
        moveToDestination();
        check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED).andLeft(source);
        assertThat(serial.sweeps()).isEqualTo(9);
    }

    @Test
    void ticksAndSweepsPrintedBeforeTheOldQemuExitedDoNotCount() throws IOException {
        GuestIntegrity check = before();
        // The source keeps printing during pre-copy, into the same file: all of this comes before its exit.
        ticks(5);
        sweeps(3);
        moveToDestination();
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not go on after the operation (last tick 14 and sweep 10")
                .hasMessageContaining("printed before that do not count");
    }

    @Test
    void aRepeatedTickFails() throws IOException {
        GuestIntegrity check = before().onMarked(() -> {
            tick--; // the destination repeats the source's last tick: it ran from stale memory
            goOn(3, 2);
        });
        moveToDestination();
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("tick 9 follows tick 9")
                .hasMessageContaining("stale memory");
    }

    @Test
    void aBadPatternAfterTheOperationFails() throws IOException {
        GuestIntegrity check = before().onMarked(() -> {
            goOn(1, 0);
            write("jvirt-guest tick=" + tick++ + " uptime_ms=" + (uptime += 250)
                    + " dirty_mibps=0 pattern=BAD@0x1f000");
            goOn(0, 2);
        });
        moveToDestination();
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("memory pattern broke at offset 0x1f000")
                .hasMessageContaining("tick 11");
    }

    @Test
    void aSecondStartFails() throws IOException {
        GuestIntegrity check = before();
        // The guest rebooted during the operation: its counter starts over, as a fresh guest's would.
        append("jvirt-guest start fill_mib=64 dirty_mibps=0 seed=7 sweep_percent=25");
        tick = 0;
        sweep = 0;
        ticks(12);
        sweeps(8);
        moveToDestination();
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("booted 2 times");
    }

    @Test
    void anOldQemuThatStillRunsFails() throws IOException {
        GuestIntegrity check = before();
        status(destination, newQemu.pid());
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("(pid " + oldQemu.pid() + ") that ran g on src")
                .hasMessageContaining("still runs");
    }

    @Test
    void theWrongStateOnEitherSideFails() throws IOException {
        GuestIntegrity check = before().onMarked(() -> goOn(2, 2));
        moveToDestination();
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_UNPAUSED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected running/unpaused");
        GuestHost kept = host("src", Map.of(NAME, StateReason.RUNNING_MIGRATION_CANCELED));
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED)
                        .andLeft(kept))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("after it left");
    }

    private GuestIntegrity before() {
        return GuestIntegrity.before(serial, NAME, source).within(SHORT, SHORT);
    }

    /** The old QEMU exits and the destination's status file names the new one, as after a migration. */
    private void moveToDestination() throws IOException {
        Files.delete(dir.resolve("src/run/qemu/" + NAME + ".xml"));
        oldQemu.destroyForcibly();
        oldQemu.onExit().join();
        status(destination, newQemu.pid());
    }

    private GuestHost host(String label, Map<String, StateReason> domains) throws IOException {
        Path root = Files.createDirectories(dir.resolve(label));
        return new GuestHost(label, stateOnly(new HashMap<>(domains)), root);
    }

    private static void status(GuestHost host, long pid) throws IOException {
        Path run = Files.createDirectories(host.root().resolve("run/qemu"));
        Files.writeString(run.resolve(NAME + ".xml"), "<domstatus state='running' pid='" + pid + "'>\n</domstatus>\n");
    }

    /** A connection that knows {@code domains} and answers lookupByName and state; anything else is a test bug. */
    private static Connection stateOnly(Map<String, StateReason> domains) {
        return (Connection) Proxy.newProxyInstance(
                GuestIntegrityTest.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "lookupByName" -> {
                        if (!domains.containsKey((String) args[0])) {
                            throw VirtException.of(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain " + args[0]);
                        }
                        yield new DomainRef((String) args[0], UUID.nameUUIDFromBytes(((String) args[0]).getBytes()), 1);
                    }
                    case "state" -> DomainStatus.of(domains.get(((DomainRef) args[0]).name()));
                    case "toString" -> "stateOnly" + domains;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The guest going on: {@code ticks} more ticks, then {@code sweeps} more sweeps. */
    private void goOn(int ticks, int sweeps) {
        try {
            ticks(ticks);
            sweeps(sweeps);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void write(String line) {
        try {
            append(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void ticks(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            String diskState = disk
                    ? " disk_writes=" + (diskWrites += 256) + " disk_pass=" + diskPass + " disk=" + diskVerdict
                    : "";
            append("jvirt-guest tick=" + tick++ + " uptime_ms=" + (uptime += 250) + " dirty_mibps=0 pattern=ok"
                    + diskState);
        }
    }

    /** From now on the guest runs the disk workload: its ticks carry the disk state. */
    private void startDiskWorkload() throws IOException {
        disk = true;
        ticks(2);
    }

    /** The guest verifying its disk {@code passes} more times, a tick showing each. */
    private void diskPasses(int passes) {
        for (int i = 0; i < passes; i++) {
            diskPass++;
            goOn(1, 0);
        }
    }

    @Test
    void aDiskGuestThatVerifiesItsDiskTwiceAfterTheOperationPasses() throws IOException {
        startDiskWorkload();
        GuestIntegrity check = before().onMarked(() -> {
            goOn(2, 2);
            diskPasses(2);
        });
        moveToDestination();
        check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED).andLeft(source);
        assertThat(serial.diskPasses()).isEqualTo(2);
    }

    @Test
    void aBadDiskTickAfterTheOperationFails() throws IOException {
        startDiskWorkload();
        GuestIntegrity check = before().onMarked(() -> {
            goOn(1, 2);
            diskVerdict = "BAD@8001";
            diskPasses(2);
        });
        moveToDestination();
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("disk check failed at sector 8001 (tick 13)");
    }

    @Test
    void tooFewDiskPassesAfterTheOperationFail() throws IOException {
        startDiskWorkload();
        // Passes the source made before its QEMU exited do not count, as sweeps do not.
        diskPasses(3);
        GuestIntegrity check = before().onMarked(() -> {
            goOn(2, 2);
            diskPasses(1);
        });
        moveToDestination();
        assertThatThrownBy(() -> check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("verified its disk 1 whole times after the operation, 2 needed")
                .hasMessageContaining("disk pass 3 at tick 14")
                .hasMessageContaining("no disk pass 5");
    }

    @Test
    void aGuestWithoutTheDiskWorkloadNeedsNoDiskPasses() throws IOException {
        GuestIntegrity check = before().onMarked(() -> goOn(2, 2));
        moveToDestination();
        check.assertMovedTo(destination, StateReason.RUNNING_MIGRATED);
        assertThat(serial.latest().orElseThrow().disk()).isEmpty();
    }

    private void sweeps(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            append("jvirt-guest sweep=" + ++sweep + " uptime_ms=" + uptime);
        }
    }

    private void append(String line) throws IOException {
        Files.writeString(
                dir.resolve("serial.log"),
                line + "\r\n",
                StandardCharsets.ISO_8859_1,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void theFakeConnectionAnswersAsTheDriverDoes() throws IOException {
        assertThat(destination.status(NAME)).contains(DomainStatus.of(StateReason.RUNNING_MIGRATED));
        assertThat(source.status(NAME)).isEmpty();
        assertThat(source.qemuPid(NAME)).hasValue(oldQemu.pid());
    }
}

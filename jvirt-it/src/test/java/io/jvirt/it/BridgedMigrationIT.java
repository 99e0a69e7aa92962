package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * A guest with a bridged NIC migrated between two embedded hosts on one bridge the test makes: the destination
 * makes its own tap in Prepare, the source's goes with the source's QEMU; a migration that fails leaves no tap on
 * its destination. One boot for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class BridgedMigrationIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "brmig";
    private static final Pattern TARGET = Pattern.compile("<target dev='(vnet\\d+)'");
    private static final Path SYS_NET = Path.of("/sys/class/net");
    /** Slow enough (64 MiB of pattern at 4 MiB/s) that the test aborts while the transfer runs. */
    private static final List<TypedParam> SLOW = List.of(TypedParam.ullong(MigrateParams.BANDWIDTH, 4));

    private final String bridge = "jvbm" + Long.toString(ProcessHandle.current().pid() % 46656, 36);
    private TwoHosts hosts;
    private SerialLog serial;

    @BeforeAll
    void setUp() throws Exception {
        run("ip", "link", "add", bridge, "type", "bridge");
        hosts = new TwoHosts("brmig");
        String nic = "<interface type='bridge'><mac address='52:54:00:5b:00:01'/><source bridge='" + bridge
                + "'/><model type='virtio'/></interface>";
        serial = hosts.boot(
                GUEST,
                hosts.hostA.guest(GUEST).memoryMiB(256).fillMiB(64).toXml().replace("</devices>", nic + "</devices>"));
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        hosts.assertNoStrayQemu();
    }

    @Test
    @Order(10)
    void theDestinationMakesItsOwnTapAndTheSourcesGoes() throws Exception {
        String sourceTap = tap(hosts.a.xmlDesc(hosts.a.lookupByName(GUEST), 0));
        assertOnBridge(sourceTap);
        GuestIntegrity check = hosts.check(serial, GUEST, hosts.a);

        DomainRef moved = TwoHosts.migrate(hosts.a, hosts.b, GUEST, List.of(), MigrateFlags.LIVE);

        hosts.assertArrived(check, hosts.a, hosts.b);
        String destTap = tap(hosts.b.xmlDesc(moved, 0));
        assertThat(destTap).isNotEqualTo(sourceTap); // both existed at once, during the migration
        assertOnBridge(destTap);
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(SYS_NET.resolve(sourceTap)));
    }

    @Test
    @Order(20)
    void aFailedMigrationLeavesNoTapOnItsDestination() throws Exception {
        String tapOnB = tap(hosts.b.xmlDesc(hosts.b.lookupByName(GUEST), 0));
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(hosts.b, hosts.a, GUEST, SLOW, MigrateFlags.LIVE);
        Path statusOnA = hosts.hostA.statusFile(GUEST);
        await().atMost(TwoHosts.TICK)
                .until(() -> Files.exists(statusOnA)
                        && TARGET.matcher(Files.readString(statusOnA)).find());
        String tapOnA = tap(Files.readString(statusOnA));
        assertOnBridge(tapOnA);
        await().atMost(TwoHosts.TICK)
                .until(() -> hosts.b.jobInfo(hosts.b.lookupByName(GUEST)).memProcessed() > 0);

        hosts.b.abortJob(hosts.b.lookupByName(GUEST));

        Throwable failed = catchThrowable(migration::join);
        TwoHosts.assertVirtError(failed, ErrorCode.OPERATION_ABORTED, "canceled by client");
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(statusOnA));
        await().atMost(TwoHosts.TICK).until(() -> !Files.exists(SYS_NET.resolve(tapOnA)));
        assertThat(hosts.b.state(hosts.b.lookupByName(GUEST)).reason()).isEqualTo(StateReason.RUNNING_MIGRATED);
        assertOnBridge(tapOnB);
    }

    private static String tap(String xml) {
        Matcher m = TARGET.matcher(xml);
        assertThat(m.find()).as("a vnet tap in %s", xml).isTrue();
        return m.group(1);
    }

    private void assertOnBridge(String tap) throws Exception {
        assertThat(Files.readSymbolicLink(SYS_NET.resolve(tap).resolve("master"))
                        .getFileName()
                        .toString())
                .as("bridge of %s", tap)
                .isEqualTo(bridge);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }
}

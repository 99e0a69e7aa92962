package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventDetail;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobOperation;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestHost;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Live migration between two hosts on real QEMU, client-managed as {@code jvirt migrate} drives it: the test guest
 * (512 MiB, 384 MiB patterned) idle and dirtying 50 and 200 MiB/s moves and comes back with its tick counter,
 * uptime and memory intact; protocol v2 for old peers; persistence flags; the same-host refusal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class MigrationIT implements NoStrayQemu.Accounted {
    private TwoHosts hosts;

    @BeforeAll
    void setUp() throws Exception {
        hosts = new TwoHosts("mig");
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

    @Test
    @Order(10)
    void idleGuestMovesThereAndBackWithItsStateIntact() throws Exception {
        SerialLog serial = hosts.boot("idle", hosts.guest("idle", 0));
        Connection a = hosts.a;
        Connection b = hosts.b;

        List<DomainEvent> sourceEvents = new CopyOnWriteArrayList<>();
        List<DomainEvent> destinationEvents = new CopyOnWriteArrayList<>();
        GuestIntegrity check = hosts.check(serial, "idle", a);
        try (AutoCloseable _ = a.addDomainEventListener(sourceEvents::add);
                AutoCloseable _ = b.addDomainEventListener(destinationEvents::add)) {
            TwoHosts.migrate(a, b, "idle", List.of(), MigrateFlags.LIVE);
            hosts.assertArrived(check, a, b).andOn(hosts.guestHost(a), StateReason.SHUTOFF_MIGRATED);
            await().atMost(TwoHosts.TICK)
                    .until(() -> sourceEvents.stream().anyMatch(e -> e instanceof DomainEvent.JobCompleted));
        }
        assertThat(lifecycle(sourceEvents))
                .containsSubsequence(
                        "SUSPENDED/" + DomainEventDetail.SUSPENDED_MIGRATED,
                        "STOPPED/" + DomainEventDetail.STOPPED_MIGRATED);
        assertThat(lifecycle(destinationEvents))
                .containsSubsequence(
                        "STARTED/" + DomainEventDetail.STARTED_MIGRATED,
                        "RESUMED/" + DomainEventDetail.RESUMED_MIGRATED);
        assertThat(a.isPersistent(a.lookupByName("idle")))
                .as("the source keeps its definition")
                .isTrue();
        assertThat(b.isPersistent(b.lookupByName("idle")))
                .as("no --persistent: transient there")
                .isFalse();

        List<TypedParam> out =
                a.jobStats(a.lookupByName("idle"), JobStatsFlags.COMPLETED | JobStatsFlags.KEEP_COMPLETED);
        assertThat(TypedParam.find(out, "type")).contains(JobType.COMPLETED.wire());
        assertThat(TypedParam.find(out, "operation")).contains(JobOperation.MIGRATION_OUT.wire());
        assertThat((Long) TypedParam.find(out, "memory_processed").orElseThrow())
                .isGreaterThan(0L);
        assertThat(TypedParam.find(out, "downtime")).isPresent();
        List<TypedParam> in = b.jobStats(b.lookupByName("idle"), JobStatsFlags.COMPLETED);
        assertThat(TypedParam.find(in, "operation")).contains(JobOperation.MIGRATION_IN.wire());
        System.out.printf("[it] idle migration stats: %s%n", out);

        check = hosts.check(serial, "idle", b);
        TwoHosts.migrate(
                b, a, "idle", List.of(), MigrateFlags.LIVE | MigrateFlags.PERSIST_DEST | MigrateFlags.UNDEFINE_SOURCE);
        hosts.assertArrived(check, b, a).andGoneFrom(hosts.guestHost(b));
        assertThat(a.isPersistent(a.lookupByName("idle"))).isTrue();
        assertThatThrownBy(() -> b.lookupByName("idle")).isInstanceOf(VirtException.class);
    }

    @Test
    @Order(20)
    void migrationToTheSameHostIsRefusedAndTheGuestRunsOn() throws Exception {
        Connection a = hosts.a;
        SerialLog serial = hosts.hostA.serial("idle");
        GuestIntegrity check = hosts.check(serial, "idle", a);
        assertThatThrownBy(() -> TwoHosts.migrate(a, a, "idle", List.of(), MigrateFlags.LIVE))
                .satisfies(e -> TwoHosts.assertVirtError(
                        e, ErrorCode.INTERNAL_ERROR, "Attempt to migrate guest to the same host " + a.hostUuid()));

        // A second root that claims the same host UUID is the same host too.
        TestHost twin = new TestHost("mig-twin");
        try {
            Files.createDirectories(twin.root().resolve("etc"));
            Files.writeString(twin.root().resolve("etc/jvirt.conf"), "host_uuid = \"" + a.hostUuid() + "\"\n");
            try (Connection c = twin.open()) {
                assertThatThrownBy(() -> TwoHosts.migrate(a, c, "idle", List.of(), MigrateFlags.LIVE))
                        .satisfies(e -> TwoHosts.assertVirtError(
                                e,
                                ErrorCode.INTERNAL_ERROR,
                                "Attempt to migrate guest to the same host " + a.hostUuid()));
                assertThatThrownBy(() -> c.lookupByName("idle"))
                        .satisfies(e -> TwoHosts.assertVirtError(e, ErrorCode.NO_DOMAIN, "idle"));
                assertThat(GuestHost.qemusUnder(twin.root()))
                        .as("no QEMU on the twin")
                        .isEmpty();
            }
        } finally {
            twin.close();
        }
        assertThat(a.state(a.lookupByName("idle")).state()).isEqualTo(io.jvirt.api.DomainState.RUNNING);
        assertThat(a.jobInfo(a.lookupByName("idle")).type())
                .as("no job left behind")
                .isEqualTo(JobType.NONE);
        check.assertStayed(StateReason.RUNNING_MIGRATED);
    }

    @Test
    @Order(30)
    void version2ProtocolServesPeersWithoutVersion3() throws Exception {
        SerialLog serial = hosts.hostA.serial("idle");
        Connection oldA = withoutVersion3(hosts.a);
        Connection oldB = withoutVersion3(hosts.b);
        GuestIntegrity check = hosts.check(serial, "idle", hosts.a);
        TwoHosts.migrate(
                oldA, oldB, "idle", List.of(TypedParam.string(MigrateParams.DEST_NAME, "idle")), MigrateFlags.LIVE);
        hosts.assertArrived(check, hosts.a, hosts.b);
        check = hosts.check(serial, "idle", hosts.b);
        assertThatThrownBy(() -> TwoHosts.migrate(
                        oldB,
                        oldA,
                        "idle",
                        List.of(TypedParam.string(MigrateParams.DEST_XML, "<domain/>")),
                        MigrateFlags.LIVE))
                .satisfies(e -> TwoHosts.assertVirtError(
                        e, ErrorCode.ARGUMENT_UNSUPPORTED, "Unable to change target guest XML during migration"));
        // A kept the definition (it came back with --persistent): shut off (migrated) there, no QEMU.
        check.assertStayed(StateReason.RUNNING_MIGRATED).andOn(hosts.guestHost(hosts.a), StateReason.SHUTOFF_MIGRATED);
        check = hosts.check(serial, "idle", hosts.b);
        TwoHosts.migrate(hosts.b, hosts.a, "idle", List.of(), MigrateFlags.LIVE);
        hosts.assertArrived(check, hosts.b, hosts.a);
        hosts.a.destroy(hosts.a.lookupByName("idle"), 0);
    }

    @Test
    @Order(40)
    void guestsDirtyingFiftyAndTwoHundredMibPerSecondMoveIntact() throws Exception {
        for (int rate : new int[] {50, 200}) {
            String name = "dirty" + rate;
            SerialLog serial = hosts.boot(name, hosts.guest(name, rate));
            GuestIntegrity check = hosts.check(serial, name, hosts.a);
            TwoHosts.migrate(hosts.a, hosts.b, name, List.of(), MigrateFlags.LIVE);
            hosts.assertArrived(check, hosts.a, hosts.b);
            check = hosts.check(serial, name, hosts.b);
            TwoHosts.migrate(hosts.b, hosts.a, name, List.of(), MigrateFlags.LIVE);
            hosts.assertArrived(check, hosts.b, hosts.a);
            DomainRef ref = hosts.a.lookupByName(name);
            System.out.printf("[it] %s: %s%n", name, hosts.a.jobStats(ref, JobStatsFlags.COMPLETED));
            hosts.a.destroy(ref, 0);
        }
    }

    private static List<String> lifecycle(List<DomainEvent> events) {
        return events.stream()
                .filter(e -> e instanceof DomainEvent.Lifecycle)
                .map(e -> (DomainEvent.Lifecycle) e)
                .map(e -> e.type() + "/" + e.detail())
                .toList();
    }

    /** The same driver, answering like a libvirt that knows only migration protocol v2. */
    private static Connection withoutVersion3(Connection conn) {
        return (Connection) Proxy.newProxyInstance(
                MigrationIT.class.getClassLoader(),
                new Class<?>[] {Connection.class, MigrationPhases.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("supportsFeature")) {
                        int feature = (Integer) args[0];
                        if (feature == DriverFeature.MIGRATION_V3
                                || feature == DriverFeature.MIGRATION_PARAMS
                                || feature == DriverFeature.MIGRATE_CHANGE_PROTECTION) {
                            return false;
                        }
                    }
                    try {
                        return method.invoke(conn, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

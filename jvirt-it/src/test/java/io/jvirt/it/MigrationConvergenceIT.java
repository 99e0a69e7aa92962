package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.time.Duration;
import java.util.List;
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
 * Job control during a migration on real QEMU, with a guest that dirties memory faster than the migration may
 * send it: the speed changed on the fly is what QEMU uses and what memory_bps shows; such a migration does not
 * converge on its own (passes grow, remaining stays high), and suspend, post-copy and auto-converge each make it
 * finish with the guest intact. Checked by values QEMU reports, never by timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class MigrationConvergenceIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "hot";
    private static final long MIB = 1024 * 1024;
    /** Well below the 200 MiB/s the guest dirties. */
    private static final long CAP_MIBPS = 48;

    private static final Duration LONG = Duration.ofMinutes(3);

    private TwoHosts hosts;
    private SerialLog serial;

    @BeforeAll
    void setUp() throws Exception {
        hosts = new TwoHosts("conv");
        // The guest's default sweep share: its time goes to dirtying, which these tests need to outrun the cap.
        serial = hosts.boot(GUEST, hosts.guest(GUEST, 200).sweepPercent(25));
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

    private static List<TypedParam> capped(long mibps, TypedParam... more) {
        List<TypedParam> params = new java.util.ArrayList<>(List.of(TypedParam.ullong(MigrateParams.BANDWIDTH, mibps)));
        params.addAll(List.of(more));
        return params;
    }

    private static long stat(Connection c, String name, String field) {
        return TypedParam.find(c.jobStats(c.lookupByName(name), 0), field)
                .map(v -> ((Number) v).longValue())
                .orElse(0L);
    }

    /** QEMU's own value of a migration parameter, asked through the monitor pass-through. */
    private static String qemuParameter(Connection c, String name, String parameter) {
        String reply = c.qemuMonitorCommand(c.lookupByName(name), "{\"execute\":\"query-migrate-parameters\"}", 0);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"" + parameter + "\":(\\d+)").matcher(reply);
        assertThat(m.find()).as("%s in %s", parameter, reply).isTrue();
        return m.group(1);
    }

    /** Waits until the migration has made {@code passes} passes over memory and still has much to send. */
    private static void awaitUnconverged(Connection src, int passes) {
        await().atMost(LONG).until(() -> stat(src, GUEST, "memory_iteration") >= passes);
        long remaining = stat(src, GUEST, "memory_remaining");
        System.out.printf(
                "[it] unconverged: pass %d, %d MiB remaining, dirty %d pages/s, %d MiB/s sent%n",
                stat(src, GUEST, "memory_iteration"),
                remaining / MIB,
                stat(src, GUEST, "memory_dirty_rate"),
                stat(src, GUEST, "memory_bps") / MIB);
        assertThat(remaining).as("still far from done after %d passes", passes).isGreaterThan(32 * MIB);
    }

    @Test
    @Order(10)
    void speedAndDowntimeChangedMidMigrationReachQemu() {
        Connection a = hosts.a;
        StateReason reason = a.state(a.lookupByName(GUEST)).reason();
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(a, hosts.b, GUEST, capped(100), MigrateFlags.LIVE);
        await().atMost(LONG).until(() -> stat(a, GUEST, "memory_processed") > 0);
        assertThat(qemuParameter(a, GUEST, "max-bandwidth")).isEqualTo(String.valueOf(100 * MIB));

        a.migrateSetMaxSpeed(a.lookupByName(GUEST), 8, 0);
        assertThat(qemuParameter(a, GUEST, "max-bandwidth")).isEqualTo(String.valueOf(8 * MIB));
        assertThat(a.migrateGetMaxSpeed(a.lookupByName(GUEST), 0)).isEqualTo(8);
        // QEMU's rate figure is measured over its last interval; it follows the new limit within a few of them.
        await().atMost(Duration.ofSeconds(30)).until(() -> stat(a, GUEST, "memory_bps") <= 8 * MIB * 5 / 4);

        a.migrateSetMaxDowntime(a.lookupByName(GUEST), 450, 0);
        assertThat(qemuParameter(a, GUEST, "downtime-limit")).isEqualTo("450");
        assertThat(a.migrateGetMaxDowntime(a.lookupByName(GUEST), 0)).isEqualTo(450);

        a.abortJob(a.lookupByName(GUEST));
        assertThatThrownBy(migration::join)
                .satisfies(e -> TwoHosts.assertVirtError(
                        e, ErrorCode.OPERATION_ABORTED, "job 'migration out' canceled by client"));
        assertThat(a.migrateGetMaxSpeed(a.lookupByName(GUEST), 0))
                .as("kept for the next migration")
                .isEqualTo(8);
        // A live migration never paused the guest: aborted, it runs on as before, in the same QEMU.
        check.assertStayed(reason).andGoneFrom(hosts.guestHost(hosts.b));
    }

    @Test
    @Order(20)
    void suspendMakesAnUnconvergedMigrationFinish() {
        Connection a = hosts.a;
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(a, hosts.b, GUEST, capped(CAP_MIBPS), MigrateFlags.LIVE);
        awaitUnconverged(a, 3);
        a.suspend(a.lookupByName(GUEST));
        assertThat(a.state(a.lookupByName(GUEST)).reason()).isEqualTo(StateReason.PAUSED_MIGRATION);
        migration.join();
        hosts.assertArrived(check, a, hosts.b);
    }

    @Test
    @Order(30)
    void postCopyMakesAnUnconvergedMigrationFinish() {
        Connection b = hosts.b;
        GuestIntegrity check = hosts.check(serial, GUEST, b);
        CompletableFuture<DomainRef> migration =
                TwoHosts.migrateAsync(b, hosts.a, GUEST, capped(CAP_MIBPS), MigrateFlags.LIVE | MigrateFlags.POSTCOPY);
        awaitUnconverged(b, 2);
        b.migrateStartPostCopy(b.lookupByName(GUEST), 0);
        migration.join();
        hosts.assertArrived(check, b, hosts.a);
    }

    @Test
    @Order(40)
    void autoConvergeMakesAnUnconvergedMigrationFinish() {
        Connection a = hosts.a;
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        CompletableFuture<DomainRef> migration = TwoHosts.migrateAsync(
                a,
                hosts.b,
                GUEST,
                capped(
                        CAP_MIBPS,
                        TypedParam.integer(MigrateParams.AUTO_CONVERGE_INITIAL, 60),
                        TypedParam.integer(MigrateParams.AUTO_CONVERGE_INCREMENT, 30)),
                MigrateFlags.LIVE | MigrateFlags.AUTO_CONVERGE);
        // QEMU's cpu-throttle-percentage, as the job stats carry it; read while the migration runs (afterwards the
        // source's QEMU is gone). The guest cannot converge unthrottled (see the test above), so QEMU must throttle.
        java.util.concurrent.atomic.AtomicLong throttle = new java.util.concurrent.atomic.AtomicLong();
        await().atMost(LONG).until(() -> {
            if (migration.isDone()) {
                return true;
            }
            try {
                throttle.accumulateAndGet(stat(a, GUEST, "auto_converge_throttle"), Math::max);
            } catch (VirtException ended) {
                // the job ended between the two looks: the last value seen stands
            }
            return throttle.get() > 0;
        });
        migration.join();
        System.out.printf("[it] auto-converge: QEMU throttled the guest's vCPU to %d %%%n", throttle.get());
        assertThat(throttle.get())
                .as("cpu-throttle-percentage seen above 0 during the migration")
                .isPositive();
        hosts.assertArrived(check, a, hosts.b);
    }
}

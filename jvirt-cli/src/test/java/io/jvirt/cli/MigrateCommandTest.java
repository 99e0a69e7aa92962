package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.cli.migrate.MigrateEnvironment;
import io.jvirt.cli.migrate.Ticker;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * migrate end to end against two fake hosts: the flow it picks, what it prints, its errors, and what the main
 * thread does while the worker migrates (timeout, Ctrl-C, progress).
 */
class MigrateCommandTest {
    private static final UUID G1 = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final String DEST = "qemu+tcp://dst.example/system";
    private final FakeConnection source = new FakeConnection();
    private final FakeConnection destination = new FakeConnection();
    private final List<String> destinationsOpened = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    MigrateCommandTest() {
        source.addRunning("g1", G1, 3);
    }

    private CliRun migrate(String... args) {
        MigrateEnvironment env = new MigrateEnvironment(
                uri -> {
                    destinationsOpened.add(uri);
                    return destination;
                },
                Ticker.SYSTEM);
        return ScopedValue.where(MigrateEnvironment.CURRENT, env).call(() -> CliRun.of(source, args));
    }

    private static List<String> methods(FakeConnection c) {
        return c.calls.stream()
                .map(FakeConnection.Call::method)
                .filter(m -> m.startsWith("virDomainMigrate"))
                .toList();
    }

    /** Waits, on the migration worker, until {@code condition} holds; fails the migration after 20 s. */
    private static void awaitOnWorker(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw VirtException.of(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.NONE, what + " did not happen");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private boolean sourceSaw(String method) {
        return source.calls.stream().anyMatch(c -> c.method().equals(method));
    }

    @Test
    void clientManagedMigrationOpensTheDestinationAndDrivesBothHosts() {
        CliRun run = migrate("migrate", "g1", DEST, "--live", "--persistent");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("\n");
        assertThat(run.err()).isEmpty();
        assertThat(destinationsOpened).containsExactly(DEST);
        assertThat(methods(source))
                .containsExactly(
                        "virDomainMigrateBegin3Params",
                        "virDomainMigratePerform3Params",
                        "virDomainMigrateConfirm3Params");
        assertThat(methods(destination))
                .containsExactly("virDomainMigratePrepare3Params", "virDomainMigrateFinish3Params");
        assertThat(source.migrateFlags).isEqualTo(MigrateFlags.LIVE | MigrateFlags.PERSIST_DEST);
        assertThat(source.domain("g1").reason).isEqualTo(StateReason.SHUTOFF_MIGRATED);
        assertThat(destination.domain("g1").reason).isEqualTo(StateReason.RUNNING_MIGRATED);
        assertThat(destination.closed).as("destination connection closed").isTrue();
    }

    @Test
    void peerToPeerHandsTheDestinationUriToTheSource() {
        CliRun run = migrate("migrate", "--live", "--p2p", "--tunnelled", "--domain", "g1", "--desturi", DEST);

        assertThat(run.status()).isZero();
        assertThat(destinationsOpened).isEmpty();
        assertThat(source.migrateDconnuri).isEqualTo(DEST);
        assertThat(source.migrateFlags).isEqualTo(MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.TUNNELLED);
        assertThat(source.migrateParams).isEmpty();
    }

    @Test
    void tunneledIsAnAliasOfTunnelled() {
        migrate("migrate", "g1", DEST, "--p2p", "--tunneled");

        assertThat(source.migrateFlags).isEqualTo(MigrateFlags.PEER2PEER | MigrateFlags.TUNNELLED);
    }

    @Test
    void positionalArgumentsFillTheOptionsNotGivenByName() {
        CliRun run =
                migrate("migrate", "g1", DEST, "--p2p", "--migrateuri", "tcp:h:49152", "spice://h", "0.0.0.0", "g2");

        assertThat(run.status()).isZero();
        assertThat(source.migrateParams)
                .containsExactly(
                        TypedParam.string("migrate_uri", "tcp:h:49152"),
                        TypedParam.string("graphics_uri", "spice://h"),
                        TypedParam.string("listen_address", "0.0.0.0"),
                        TypedParam.string("destination_name", "g2"));
    }

    @Test
    void xmlFilesAreReadIntoTheirParameters() throws IOException {
        Path live = Files.writeString(dir.resolve("live.xml"), "<domain><name>g1</name></domain>");
        Path persistent =
                Files.writeString(dir.resolve("persistent.xml"), "<domain><name>g1</name><vcpu>2</vcpu></domain>");

        migrate(
                "migrate",
                "g1",
                DEST,
                "--p2p",
                "--persistent",
                "--xml",
                live.toString(),
                "--persistent-xml",
                persistent.toString());

        assertThat(source.migrateParams)
                .containsExactly(
                        TypedParam.string("destination_xml", "<domain><name>g1</name></domain>"),
                        TypedParam.string("persistent_xml", "<domain><name>g1</name><vcpu>2</vcpu></domain>"));
    }

    @Test
    void failedMigrationPrintsTheApiErrorAndCancelsTheDestination() {
        source.jobFailure = VirtException.of(
                ErrorCode.OPERATION_FAILED,
                ErrorDomain.QEMU,
                "job 'migration out' failed: Unable to write to socket: Broken pipe");

        CliRun run = migrate("migrate", "g1", DEST, "--live", "--verbose");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo(
                        "error: operation failed: job 'migration out' failed: Unable to write to socket: Broken pipe\n");
        assertThat(run.out()).isEqualTo("\n");
        assertThat(destination.calls.getLast()).satisfies(c -> {
            assertThat(c.method()).isEqualTo("virDomainMigrateFinish3Params");
            assertThat(c.extra()).as("cancelled").isEqualTo(true);
        });
        assertThat(source.domain("g1").reason).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(destination.closed).isTrue();
    }

    @Test
    void unreachableDestinationIsTheApiErrorAlone() {
        MigrateEnvironment env = new MigrateEnvironment(
                uri -> {
                    throw VirtException.of(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uri);
                },
                Ticker.SYSTEM);

        CliRun run = ScopedValue.where(MigrateEnvironment.CURRENT, env)
                .call(() -> CliRun.of(source, "migrate", "g1", "qemu+tcp://nowhere/system"));

        assertThat(run.err()).isEqualTo("error: no connection driver available for qemu+tcp://nowhere/system\n");
        assertThat(methods(source)).isEmpty();
    }

    @Test
    void verboseEndsAtHundredPercentWithTheCompletedJobsSummary() {
        source.completedStats = List.of(
                TypedParam.integer("type", 3),
                TypedParam.integer("operation", 5),
                TypedParam.ullong("time_elapsed", 2500),
                TypedParam.ullong("downtime", 30),
                TypedParam.ullong("data_processed", 1L << 30));

        CliRun run = migrate("migrate", "g1", DEST, "--live", "--verbose");

        assertThat(run.status()).isZero();
        assertThat(run.err())
                .matches("(?s)(\r[^\n]*)?\rMigration: \\[100\\.00 %] *"
                        + "\nMigration completed in 2\\.500 s, downtime 30 ms, 1\\.000 GiB sent at 409\\.6 MiB/s");
        assertThat(run.out()).isEqualTo("\n");
        assertThat(source.calls).anySatisfy(c -> {
            assertThat(c.method()).isEqualTo("jobStats");
            assertThat(c.flags()).isEqualTo(JobStatsFlags.COMPLETED | JobStatsFlags.KEEP_COMPLETED);
        });
    }

    @Test
    void verboseShowsProgressWhileTheMigrationRuns() {
        source.jobStats = MigrationStatusLineTest.stats(1L << 30, 256L << 20, 100L << 20, 2560, 2);
        // Perform lasts until the watch has drawn a sample.
        source.onPerform = () -> awaitOnWorker(
                () -> source.calls.stream()
                                .filter(c -> c.method().equals("jobStats"))
                                .count()
                        >= 2,
                "two progress polls");

        CliRun run = migrate("migrate", "g1", DEST, "--live", "--verbose");

        assertThat(run.status()).isZero();
        assertThat(run.err())
                .startsWith("\rMigration: [25.00 %] sent 256.000 MiB, left 768.000 MiB, link 100.0 MiB/s")
                .contains("\rMigration: [100.00 %]");
    }

    @Test
    void timeoutSuspendsTheGuestWhileTheMigrationRuns() {
        source.onPerform = () -> awaitOnWorker(() -> sourceSaw("suspend"), "suspend after --timeout");

        CliRun run = migrate("migrate", "g1", DEST, "--live", "--timeout", "1");

        assertThat(run.status()).isZero();
        assertThat(sourceSaw("suspend")).isTrue();
        assertThat(sourceSaw("virDomainMigrateStartPostCopy")).isFalse();
    }

    @Test
    void timeoutPostcopySwitchesToPostCopy() {
        source.onPerform = () -> awaitOnWorker(() -> sourceSaw("virDomainMigrateStartPostCopy"), "post-copy switch");

        CliRun run = migrate("migrate", "g1", DEST, "--live", "--postcopy", "--timeout", "1", "--timeout-postcopy");

        assertThat(run.status()).isZero();
        assertThat(sourceSaw("suspend")).isFalse();
        assertThat(source.migrateFlags).isEqualTo(MigrateFlags.LIVE | MigrateFlags.POSTCOPY);
    }

    @Test
    void ctrlCAbortsTheMigrationJob() {
        assumeTrue(canTakeOverSigint(), "SIGINT cannot be handled in this JVM");
        source.onPerform = () -> {
            raiseSigint();
            awaitOnWorker(() -> sourceSaw("abortJob"), "abortJob after Ctrl-C");
            throw VirtException.of(
                    ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "job 'migration out' canceled by client");
        };

        CliRun run = migrate("migrate", "g1", DEST, "--live");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: operation aborted: job 'migration out' canceled by client\n");
        assertThat(source.calls.stream()
                        .filter(c -> c.method().equals("abortJob"))
                        .count())
                .isEqualTo(1);
    }

    // Only raise SIGINT in a JVM that lets handlers be installed; else it would end the test run.
    private static boolean canTakeOverSigint() {
        try {
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object ignore = Proxy.newProxyInstance(
                    MigrateCommandTest.class.getClassLoader(),
                    new Class<?>[] {handlerType},
                    (proxy, method, args) -> null);
            Method handle = SIGNAL.getMethod("handle", SIGNAL, handlerType);
            Object interrupt = sigint();
            handle.invoke(null, interrupt, handle.invoke(null, interrupt, ignore));
            return true;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof UnsupportedOperationException) {
                return false;
            }
            throw new AssertionError(e);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    // sun.misc.Signal is used by reflection, as in InterruptSignal: naming it makes javac warn "internal proprietary
    // API", which no -Xlint key suppresses, and the build fails on warnings.
    private static final Class<?> SIGNAL = signalClass();

    private static Class<?> signalClass() {
        try {
            return Class.forName("sun.misc.Signal");
        } catch (ClassNotFoundException e) {
            return Object.class; // canTakeOverSigint then finds no handle method and the test is skipped
        }
    }

    private static Object sigint() throws ReflectiveOperationException {
        return SIGNAL.getConstructor(String.class).newInstance("INT");
    }

    private static void raiseSigint() {
        try {
            SIGNAL.getMethod("raise", SIGNAL).invoke(null, sigint());
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("cannot raise SIGINT", e);
        }
    }

    @Test
    void checksVirshLeavesToItsWorkerThreadReadTheSame() {
        // virsh makes these checks on its migration thread, whose failures its watcher may not notice against
        // the test driver; the words are pinned here instead of in the parity test.
        assertThat(migrate("migrate", "g1", DEST, "--p2p", "--migrate-disks", "vda")
                        .err())
                .isEqualTo("error: '--migrate-disks' requires one of '--copy-storage-all', '--copy-storage-inc'\n");
        assertThat(migrate("migrate", "g1", DEST, "--p2p", "--copy-storage-synchronous-writes")
                        .err())
                .isEqualTo(
                        "error: '--copy-storage-synchronous-writes' requires one of '--copy-storage-all', '--copy-storage-inc'\n");
        assertThat(migrate("migrate", "g1", DEST, "--p2p", "--xml", "/nonexistent/d.xml")
                        .err())
                .isEqualTo("""
                error: cannot read file '/nonexistent/d.xml'
                error: Failed to open file '/nonexistent/d.xml': No such file or directory
                """);
        assertThat(migrate("migrate", "g1", DEST, "--p2p", "--bandwidth", "abc", "--comp-mt-level", "x")
                        .err())
                .isEqualTo("error: Numeric value 'x' for <comp-mt-level> option is malformed or out of range\n");
        assertThat(methods(source)).isEmpty();
        assertThat(destinationsOpened).isEmpty();
    }

    @Test
    void tooManyPositionalArgumentsAreUnexpectedData() {
        CliRun run = migrate("migrate", "g1", DEST, "a", "b", "c", "d", "e", "f", "g", "h", "i");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: unexpected data 'i'\n");
        assertThat(run.out()).isEmpty();
    }
}

package io.jvirt.cli;

import static io.jvirt.cli.MigrationStatusLineTest.stats;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.cli.migrate.MigrationSample;
import io.jvirt.cli.migrate.MigrationStatusLine;
import io.jvirt.cli.migrate.MigrationWatch;
import io.jvirt.cli.migrate.Ticker;
import io.jvirt.cli.migrate.WatchSettings;
import io.jvirt.cli.migrate.WatchSettings.TimeoutAction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The main thread's side of migrate, on a clock of the test's own: the migration "ends" when the test's condition
 * holds, and every wait moves the clock on by exactly what the watch asked for. No threads, no real time.
 */
class MigrationWatchTest {
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final FakeConnection source = new FakeConnection();
    private final DomainRef g1 = source.addRunning("g1", UUID.fromString("11111111-2222-3333-4444-555555555555"), 3)
            .ref();
    private final StringWriter err = new StringWriter();

    /** Time that passes only when the watch waits; "done" when {@code finished} says so. */
    private static final class FakeTicker implements Ticker {
        private final BooleanSupplier finished;
        long now = 1_000 * SECOND;

        FakeTicker(BooleanSupplier finished) {
            this.finished = finished;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public boolean await(CountDownLatch done, long nanos) {
            if (finished.getAsBoolean()) {
                done.countDown();
                return true;
            }
            if (nanos == Long.MAX_VALUE) {
                throw new AssertionError("the watch would wait for ever for a migration that never ends");
            }
            now += nanos;
            return false;
        }
    }

    private long count(String method) {
        return source.calls.stream().filter(c -> c.method().equals(method)).count();
    }

    private FakeTicker watch(WatchSettings settings, BooleanSupplier finished) {
        FakeTicker ticker = new FakeTicker(finished);
        new MigrationWatch(source, g1, settings, new PrintWriter(err, true), ticker).watch(new CountDownLatch(1));
        return ticker;
    }

    @Test
    void verboseDrawsEverySampleAndNotesOnceWhenNotConverging() {
        List<TypedParam> first = stats(1024 * MIB, 256 * MIB, 100 * MIB, 2560, 2);
        List<TypedParam> stalled = stats(1024 * MIB, 512 * MIB, 50 * MIB, 30720, 3);
        List<TypedParam> stalledAgain = stats(1024 * MIB, 600 * MIB, 50 * MIB, 30720, 4);
        source.statsScript.addAll(List.of(first, stalled, stalledAgain));

        FakeTicker ticker =
                watch(new WatchSettings(true, 0, TimeoutAction.SUSPEND, false), () -> count("jobStats") == 3);

        String l1 = MigrationStatusLine.progress(MigrationSample.of(first));
        String l2 = MigrationStatusLine.progress(MigrationSample.of(stalled));
        String l3 = MigrationStatusLine.progress(MigrationSample.of(stalledAgain));
        assertThat(l1).endsWith("ETA 9s");
        assertThat(l2).endsWith("not converging");
        assertThat(err.toString())
                .isEqualTo("\r" + l1
                        + "\r" + l2 + " ".repeat(Math.max(0, l1.length() - l2.length()))
                        + "\n" + MigrationStatusLine.notConvergingNote(MigrationSample.of(stalled)) + "\n"
                        + "\r" + l3);
        // Polled every half second, running-job statistics only.
        assertThat(ticker.now).isEqualTo(1_000 * SECOND + 3 * SECOND / 2);
        assertThat(source.calls).allSatisfy(c -> assertThat(c.flags()).isZero());
    }

    @Test
    void shorterLinesArePaddedOverTheLongerOneBefore() {
        List<TypedParam> longLine = stats(1024 * MIB, 256 * MIB, 100 * MIB, 2560, 2);
        List<TypedParam> shortLine =
                List.of(TypedParam.ullong("data_total", 100), TypedParam.ullong("data_remaining", 50));
        source.statsScript.addAll(List.of(longLine, shortLine));

        watch(new WatchSettings(true, 0, TimeoutAction.SUSPEND, false), () -> count("jobStats") == 2);

        String l1 = MigrationStatusLine.progress(MigrationSample.of(longLine));
        String l2 = MigrationStatusLine.progress(MigrationSample.of(shortLine));
        assertThat(err.toString()).isEqualTo("\r" + l1 + "\r" + l2 + " ".repeat(l1.length() - l2.length()));
    }

    @Test
    void withoutVerboseNothingIsPolledOrDrawn() {
        FakeTicker ticker =
                watch(new WatchSettings(false, 5, TimeoutAction.SUSPEND, false), () -> count("suspend") == 1);

        assertThat(count("jobStats")).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(ticker.now).isEqualTo(1_005 * SECOND);
    }

    @Test
    void timeoutSuspendsTheGuestOnceAtTheDeadline() {
        source.jobStats = stats(1024 * MIB, 100 * MIB, 100 * MIB, 0, 1);

        FakeTicker ticker = watch(
                new WatchSettings(true, 3, TimeoutAction.SUSPEND, false),
                () -> count("suspend") == 1 && count("jobStats") >= 8);

        // Suspended at the 3 s deadline, then the watch went on polling (more samples) without suspending again.
        assertThat(count("suspend")).isEqualTo(1);
        assertThat(source.calls.stream()
                        .map(FakeConnection.Call::method)
                        .toList()
                        .indexOf("suspend"))
                .as("suspended after the sixth half-second poll, not before")
                .isBetween(5, 7);
        assertThat(ticker.now).isEqualTo(1_004 * SECOND);
    }

    @Test
    void timeoutPostcopySwitchesToPostCopyInstead() {
        watch(
                new WatchSettings(false, 2, TimeoutAction.POSTCOPY, false),
                () -> count("virDomainMigrateStartPostCopy") == 1);

        assertThat(count("suspend")).isZero();
    }

    @Test
    void failingTimeoutActionLeavesTheMigrationToEndOnItsOwn() {
        source.migrationApis = false;

        FakeTicker ticker = watch(new WatchSettings(false, 2, TimeoutAction.POSTCOPY, false), new BooleanSupplier() {
            int asked;

            @Override
            public boolean getAsBoolean() {
                return ++asked == 2;
            }
        });

        assertThat(ticker.now).isEqualTo(1_002 * SECOND);
    }

    @Test
    void postcopyAfterPrecopySwitchesOnceTheFirstPassIsDone() {
        for (int pass : new int[] {1, 1, 2, 3, 4}) {
            source.statsScript.add(stats(1024 * MIB, 100 * MIB * pass, 100 * MIB, 100, pass));
        }

        watch(new WatchSettings(false, 0, TimeoutAction.SUSPEND, true), () -> count("jobStats") == 5);

        List<String> order =
                source.calls.stream().map(FakeConnection.Call::method).toList();
        assertThat(count("virDomainMigrateStartPostCopy")).isEqualTo(1);
        assertThat(order.indexOf("virDomainMigrateStartPostCopy"))
                .as("right after the third sample")
                .isEqualTo(3);
        assertThat(err.toString()).as("no progress without --verbose").isEmpty();
    }

    @Test
    void abortIsRequestedOnceAndItsFailureIgnored() {
        MigrationWatch watch = new MigrationWatch(
                source,
                g1,
                new WatchSettings(false, 0, TimeoutAction.SUSPEND, false),
                new PrintWriter(err, true),
                Ticker.SYSTEM);
        source.jobFailure =
                VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "no job is active on the domain");

        watch.requestAbort();
        watch.requestAbort();

        assertThat(count("abortJob")).isEqualTo(1);
    }

    @Test
    void completedEndsAtHundredPercentAndAddsTheSummary() {
        MigrationWatch verbose = new MigrationWatch(
                source,
                g1,
                new WatchSettings(true, 0, TimeoutAction.SUSPEND, false),
                new PrintWriter(err, true),
                Ticker.SYSTEM);

        verbose.completed(Optional.of("Migration completed in 1.000 s"));

        assertThat(err.toString()).isEqualTo("\rMigration: [100.00 %]\nMigration completed in 1.000 s");
    }

    @Test
    void completedWithoutVerbosePrintsNothing() {
        new MigrationWatch(
                        source,
                        g1,
                        new WatchSettings(false, 0, TimeoutAction.SUSPEND, false),
                        new PrintWriter(err, true),
                        Ticker.SYSTEM)
                .completed(Optional.of("x"));

        assertThat(err.toString()).isEmpty();
    }
}

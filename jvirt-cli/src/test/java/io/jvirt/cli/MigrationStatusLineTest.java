package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.TypedParam;
import io.jvirt.cli.migrate.MigrationSample;
import io.jvirt.cli.migrate.MigrationStatusLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What migrate --verbose writes for one statistics sample, and the closing summary. */
class MigrationStatusLineTest {
    private static final long MIB = 1024 * 1024;

    static List<TypedParam> stats(long total, long processed, long bps, long dirtyPages, long iteration) {
        return List.of(
                TypedParam.integer("type", 2),
                TypedParam.integer("operation", 5),
                TypedParam.ullong("data_total", total),
                TypedParam.ullong("data_processed", processed),
                TypedParam.ullong("data_remaining", total - processed),
                TypedParam.ullong("memory_bps", bps),
                TypedParam.ullong("memory_dirty_rate", dirtyPages),
                TypedParam.ullong("memory_iteration", iteration));
    }

    @Test
    void convergingSampleShowsRatesPassAndEta() {
        // 768 MiB left at 100 MiB/s while the guest dirties 2560 pages/s of 4 KiB = 10 MiB/s: 768 / 90 = 8.5 s.
        MigrationSample s = MigrationSample.of(stats(1024 * MIB, 256 * MIB, 100 * MIB, 2560, 2));

        assertThat(MigrationStatusLine.progress(s))
                .isEqualTo("Migration: [25.00 %] sent 256.000 MiB, "
                        + "left 768.000 MiB, link 100.0 MiB/s, dirtying 10.0 MiB/s, pass 2, ETA 9s");
        assertThat(s.notConverging()).isFalse();
    }

    @Test
    void guestDirtyingFasterThanTheLinkIsNotConverging() {
        MigrationSample s = MigrationSample.of(stats(1024 * MIB, 512 * MIB, 50 * MIB, 30720, 3));

        assertThat(MigrationStatusLine.progress(s))
                .isEqualTo("Migration: [50.00 %] sent 512.000 MiB, "
                        + "left 512.000 MiB, link 50.0 MiB/s, dirtying 120.0 MiB/s, pass 3, not converging");
        assertThat(MigrationStatusLine.notConvergingNote(s))
                .startsWith("not converging: guest dirties 120.0 MiB/s, link carries 50.0 MiB/s; consider ")
                .contains("--auto-converge", "--postcopy", "suspend");
        assertThat(s.etaSeconds()).isEqualTo(-1);
    }

    @Test
    void equalRatesDoNotConvergeEither() {
        MigrationSample s = MigrationSample.of(stats(100 * MIB, 10 * MIB, 40 * MIB, 10240, 5));

        assertThat(s.notConverging()).isTrue();
    }

    @Test
    void aDirtyRateJustUnderTheLinkIsNotConvergingButOneWellUnderIs() {
        // QEMU reports a guest that rewrites its whole working set each pass at about the link's rate.
        assertThat(MigrationSample.of(stats(100 * MIB, 10 * MIB, 40 * MIB, 9728, 3))
                        .notConverging())
                .isTrue();
        assertThat(MigrationSample.of(stats(100 * MIB, 10 * MIB, 40 * MIB, 8192, 3))
                        .notConverging())
                .isFalse();
    }

    @Test
    void pageSizeFromTheStatisticsScalesTheDirtyRate() {
        List<TypedParam> withHugePages = new java.util.ArrayList<>(stats(64 * MIB, 0, 100 * MIB, 10, 1));
        withHugePages.add(TypedParam.ullong("memory_page_size", 2 * MIB));

        MigrationSample s = MigrationSample.of(withHugePages);

        assertThat(s.dirtyBytesPerSecond()).isEqualTo(20 * MIB);
        assertThat(MigrationStatusLine.progress(s))
                .contains("dirtying 20.0 MiB/s")
                .endsWith("pass 1, ETA 1s");
    }

    @Test
    void firstSamplesWithoutRatesShowOnlyTheAmounts() {
        MigrationSample s = MigrationSample.of(
                List.of(TypedParam.ullong("data_total", 2048), TypedParam.ullong("data_remaining", 2048)));

        assertThat(MigrationStatusLine.progress(s)).isEqualTo("Migration: [ 0.00 %] sent 0.000 B, left 2.000 KiB");
    }

    @Test
    void longEtasReadAsMinutesOrHours() {
        long slow = MIB; // 1 MiB/s, nothing dirtied
        assertThat(MigrationStatusLine.progress(MigrationSample.of(stats(125 * MIB, 0, slow, 0, 1))))
                .endsWith("ETA 2m05s");
        assertThat(MigrationStatusLine.progress(MigrationSample.of(stats(3725 * MIB, 0, slow, 0, 1))))
                .endsWith("ETA 1h02m");
    }

    @Test
    void summaryOfTheCompletedJob() {
        List<TypedParam> completed = List.of(
                TypedParam.integer("type", 3),
                TypedParam.ullong("time_elapsed", 12_345),
                TypedParam.ullong("downtime", 45),
                TypedParam.ullong("data_processed", 1024 * MIB));

        assertThat(MigrationStatusLine.summary(completed))
                .contains("Migration completed in 12.345 s, downtime 45 ms, 1.000 GiB sent at 82.9 MiB/s");
        assertThat(MigrationStatusLine.summary(List.of(TypedParam.integer("type", 3))))
                .isEmpty();
    }
}

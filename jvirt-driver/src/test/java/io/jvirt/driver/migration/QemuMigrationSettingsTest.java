package io.jvirt.driver.migration;

import static io.jvirt.api.MigrateFlags.AUTO_CONVERGE;
import static io.jvirt.api.MigrateFlags.COMPRESSED;
import static io.jvirt.api.MigrateFlags.LIVE;
import static io.jvirt.api.MigrateFlags.PARALLEL;
import static io.jvirt.api.MigrateFlags.PEER2PEER;
import static io.jvirt.api.MigrateFlags.POSTCOPY;
import static io.jvirt.api.MigrateFlags.TUNNELLED;
import static io.jvirt.api.MigrateFlags.ZEROCOPY;
import static io.jvirt.api.TypedParam.integer;
import static io.jvirt.api.TypedParam.string;
import static io.jvirt.api.TypedParam.ullong;
import static io.jvirt.driver.migration.MigrationOptions.Side.DESTINATION;
import static io.jvirt.driver.migration.MigrationOptions.Side.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.MigrationOptions.Side;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QemuMigrationSettingsTest {
    private static final long MIB = 1024 * 1024;

    /** The capability names of QEMU 10.0.2's query-migrate-capabilities, all off, as a fresh QEMU answers. */
    static Map<String, Boolean> qemu10Caps() {
        Map<String, Boolean> caps = new LinkedHashMap<>();
        for (String name : List.of(
                "xbzrle",
                "rdma-pin-all",
                "auto-converge",
                "zero-blocks",
                "events",
                "postcopy-ram",
                "x-colo",
                "release-ram",
                "return-path",
                "pause-before-switchover",
                "multifd",
                "dirty-bitmaps",
                "postcopy-blocktime",
                "late-block-activate",
                "x-ignore-shared",
                "validate-uuid",
                "background-snapshot",
                "zero-copy-send",
                "postcopy-preempt",
                "switchover-ack",
                "dirty-limit",
                "mapped-ram")) {
            caps.put(name, false);
        }
        return caps;
    }

    record CapsRow(String name, long flags, List<TypedParam> params, Side side, Set<String> on) {
        @Override
        public String toString() {
            return name + " (" + side + ")";
        }
    }

    static Stream<CapsRow> flagsToCaps() {
        List<TypedParam> none = List.of();
        return Stream.of(
                new CapsRow("live", LIVE, none, SOURCE, Set.of("events", "return-path")),
                new CapsRow("live", LIVE, none, DESTINATION, Set.of("events", "return-path", "late-block-activate")),
                new CapsRow(
                        "tunnelled has no return path", LIVE | PEER2PEER | TUNNELLED, none, SOURCE, Set.of("events")),
                new CapsRow(
                        "tunnelled has no return path",
                        LIVE | PEER2PEER | TUNNELLED,
                        none,
                        DESTINATION,
                        Set.of("events", "late-block-activate")),
                new CapsRow(
                        "auto-converge is the source's",
                        LIVE | AUTO_CONVERGE,
                        none,
                        SOURCE,
                        Set.of("events", "return-path", "auto-converge")),
                new CapsRow(
                        "auto-converge is the source's",
                        LIVE | AUTO_CONVERGE,
                        none,
                        DESTINATION,
                        Set.of("events", "return-path", "late-block-activate")),
                new CapsRow(
                        "post-copy", LIVE | POSTCOPY, none, SOURCE, Set.of("events", "return-path", "postcopy-ram")),
                new CapsRow(
                        "post-copy",
                        LIVE | POSTCOPY,
                        none,
                        DESTINATION,
                        Set.of("events", "return-path", "postcopy-ram", "late-block-activate")),
                new CapsRow("parallel", LIVE | PARALLEL, none, SOURCE, Set.of("events", "return-path", "multifd")),
                new CapsRow(
                        "parallel",
                        LIVE | PARALLEL,
                        none,
                        DESTINATION,
                        Set.of("events", "return-path", "multifd", "late-block-activate")),
                new CapsRow(
                        "zero-copy is the source's",
                        LIVE | PARALLEL | ZEROCOPY,
                        none,
                        SOURCE,
                        Set.of("events", "return-path", "multifd", "zero-copy-send")),
                new CapsRow(
                        "zero-copy is the source's",
                        LIVE | PARALLEL | ZEROCOPY,
                        none,
                        DESTINATION,
                        Set.of("events", "return-path", "multifd", "late-block-activate")),
                new CapsRow(
                        "compressed means xbzrle",
                        LIVE | COMPRESSED,
                        none,
                        SOURCE,
                        Set.of("events", "return-path", "xbzrle")),
                new CapsRow(
                        "xbzrle on both sides",
                        LIVE,
                        List.of(string(MigrateParams.COMPRESSION, "xbzrle")),
                        DESTINATION,
                        Set.of("events", "return-path", "xbzrle", "late-block-activate")),
                new CapsRow(
                        "a storage migration's source pauses before the switch-over for its mirrors",
                        LIVE | MigrateFlags.NON_SHARED_DISK,
                        List.of(),
                        SOURCE,
                        Set.of("events", "return-path", "pause-before-switchover")),
                new CapsRow(
                        "its destination does not",
                        LIVE | MigrateFlags.NON_SHARED_INC,
                        List.of(),
                        DESTINATION,
                        Set.of("events", "return-path", "late-block-activate")),
                new CapsRow(
                        "zstd is a parameter, not a capability",
                        LIVE | PARALLEL,
                        List.of(string(MigrateParams.COMPRESSION, "zstd")),
                        SOURCE,
                        Set.of("events", "return-path", "multifd")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagsToCaps")
    void flagsBecomeCapabilities(CapsRow row) {
        MigrationOptions options = MigrationOptions.parse(row.params(), row.flags(), row.side());
        Map<String, Boolean> caps =
                QemuMigrationSettings.of(options, row.side(), 0).capabilities(qemu10Caps());

        assertThat(caps.keySet())
                .as("every managed capability QEMU 10 has, explicitly")
                .containsExactly(
                        "xbzrle",
                        "auto-converge",
                        "rdma-pin-all",
                        "events",
                        "postcopy-ram",
                        "pause-before-switchover",
                        "late-block-activate",
                        "multifd",
                        "dirty-bitmaps",
                        "return-path",
                        "zero-copy-send",
                        "switchover-ack");
        caps.forEach((name, on) -> assertThat(on).as(name).isEqualTo(row.on().contains(name)));
    }

    @Test
    void switchoverAckNeedsThePeerAndAReturnPath() {
        MigrationOptions plain = MigrationOptions.parse(List.of(), LIVE, SOURCE);
        Set<String> peer = Set.of("switchover-ack", "xbzrle");
        assertThat(QemuMigrationSettings.of(plain, SOURCE, 0, peer).capabilities(qemu10Caps()))
                .containsEntry("switchover-ack", true);
        assertThat(QemuMigrationSettings.of(plain, SOURCE, 0, Set.of()).capabilities(qemu10Caps()))
                .containsEntry("switchover-ack", false);

        MigrationOptions tunnelled = MigrationOptions.parse(List.of(), LIVE | PEER2PEER | TUNNELLED, DESTINATION);
        assertThat(QemuMigrationSettings.of(tunnelled, DESTINATION, 0, peer).capabilities(qemu10Caps()))
                .containsEntry("switchover-ack", false)
                .containsEntry("return-path", false);
        assertThat(QemuMigrationSettings.alwaysOnCandidates(DESTINATION))
                .containsExactlyInAnyOrder("late-block-activate", "switchover-ack");
        assertThat(QemuMigrationSettings.alwaysOnCandidates(SOURCE)).containsExactly("switchover-ack");
    }

    @Test
    void alwaysOnCapabilitiesAreSkippedWhenQemuLacksThem() {
        Map<String, Boolean> oldQemu = qemu10Caps();
        oldQemu.remove("late-block-activate");
        oldQemu.remove("switchover-ack");
        MigrationOptions o = MigrationOptions.parse(List.of(), LIVE, DESTINATION);
        Map<String, Boolean> caps = QemuMigrationSettings.of(o, DESTINATION, 0, Set.of("switchover-ack"))
                .capabilities(oldQemu);
        assertThat(caps)
                .doesNotContainKeys("late-block-activate", "switchover-ack")
                .containsEntry("return-path", true);
    }

    @Test
    void aRequestedCapabilityQemuLacksIsRefused() {
        MigrationOptions mt = MigrationOptions.parse(List.of(string(MigrateParams.COMPRESSION, "mt")), LIVE, SOURCE);
        QemuMigrationSettings settings = QemuMigrationSettings.of(mt, SOURCE, 0);
        assertThat(settings.requestedCapabilities()).contains("compress");
        assertThatThrownBy(() -> settings.requireSupported(qemu10Caps()))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ARGUMENT_UNSUPPORTED);
                    assertThat(e.getMessage())
                            .isEqualTo(
                                    "argument unsupported: Migration option 'compress' is not supported by QEMU binary");
                });
        assertThatThrownBy(() -> settings.capabilities(qemu10Caps())).isInstanceOf(VirtException.class);

        Map<String, Boolean> noMultifd = qemu10Caps();
        noMultifd.remove("multifd");
        MigrationOptions parallel = MigrationOptions.parse(List.of(), LIVE | PARALLEL, DESTINATION);
        assertThatThrownBy(
                        () -> QemuMigrationSettings.of(parallel, DESTINATION, 0).requireSupported(noMultifd))
                .hasMessage("argument unsupported: Migration option 'multifd' is not supported by QEMU binary");
    }

    @Test
    void resetSwitchesEverythingOffButEvents() {
        Map<String, Boolean> running = qemu10Caps();
        running.replaceAll((name, on) -> true);
        Map<String, Boolean> reset = QemuMigrationSettings.reset(running);
        assertThat(reset).containsEntry("events", true);
        assertThat(reset).hasSize(QemuMigrationSettings.MANAGED_CAPABILITIES.size() - 1); // all but "compress"
        reset.forEach((name, on) -> assertThat(on).as(name).isEqualTo(name.equals("events")));
        assertThat(reset).doesNotContainKeys("x-colo", "zero-blocks", "mapped-ram");
    }

    @Test
    void bandwidthIsTheCallsElseTheDomainsElseUnlimited() {
        MigrationOptions given = MigrationOptions.parse(List.of(ullong(MigrateParams.BANDWIDTH, 200)), LIVE, SOURCE);
        assertThat(QemuMigrationSettings.of(given, SOURCE, 50).parameters()).containsEntry("max-bandwidth", 200 * MIB);

        MigrationOptions none = MigrationOptions.parse(List.of(), LIVE, SOURCE);
        assertThat(QemuMigrationSettings.of(none, SOURCE, 50).parameters()).containsEntry("max-bandwidth", 50 * MIB);

        long unlimitedBytes = 8796093022207L * MIB;
        assertThat(unlimitedBytes).isEqualTo(9223372036853727232L);
        assertThat(QemuMigrationSettings.of(none, SOURCE, 0).parameters())
                .containsEntry("max-bandwidth", unlimitedBytes);
        assertThat(QemuMigrationSettings.of(none, SOURCE, -1L).parameters())
                .as("a domain limit above the maximum, read unsigned, is unlimited")
                .containsEntry("max-bandwidth", unlimitedBytes);
        MigrationOptions max =
                MigrationOptions.parse(List.of(ullong(MigrateParams.BANDWIDTH, 8796093022207L)), LIVE, SOURCE);
        assertThat(QemuMigrationSettings.of(max, SOURCE, 1).parameters())
                .containsEntry("max-bandwidth", unlimitedBytes);
    }

    @Test
    void theDestinationSendsNoPagesSoGetsNoBandwidth() {
        MigrationOptions o = MigrationOptions.parse(List.of(ullong(MigrateParams.BANDWIDTH, 200)), LIVE, DESTINATION);
        assertThat(QemuMigrationSettings.of(o, DESTINATION, 10).parameters()).doesNotContainKey("max-bandwidth");
    }

    @Test
    void tuningParametersPerSide() {
        List<TypedParam> params = List.of(
                ullong(MigrateParams.BANDWIDTH_POSTCOPY, 100),
                integer(MigrateParams.AUTO_CONVERGE_INITIAL, 30),
                integer(MigrateParams.AUTO_CONVERGE_INCREMENT, 5),
                integer(MigrateParams.PARALLEL_CONNECTIONS, 8),
                string(MigrateParams.COMPRESSION, "zlib"),
                integer(MigrateParams.COMPRESSION_ZLIB_LEVEL, 6));
        long flags = LIVE | AUTO_CONVERGE | PARALLEL;

        Map<String, Object> src = QemuMigrationSettings.of(MigrationOptions.parse(params, flags, SOURCE), SOURCE, 10)
                .parameters();
        assertThat(src)
                .containsExactly(
                        entry("max-bandwidth", 10 * MIB),
                        entry("cpu-throttle-initial", 30),
                        entry("cpu-throttle-increment", 5),
                        entry("max-postcopy-bandwidth", 100 * MIB),
                        entry("multifd-channels", 8),
                        entry("multifd-compression", "zlib"),
                        entry("multifd-zlib-level", 6),
                        entry("tls-creds", ""),
                        entry("tls-hostname", ""));

        Map<String, Object> dst = QemuMigrationSettings.of(
                        MigrationOptions.parse(params, flags, DESTINATION), DESTINATION, 10)
                .parameters();
        assertThat(dst)
                .containsExactly(
                        entry("max-postcopy-bandwidth", 100 * MIB),
                        entry("multifd-channels", 8),
                        entry("multifd-compression", "zlib"),
                        entry("multifd-zlib-level", 6),
                        entry("tls-creds", ""));
    }

    @Test
    void parallelWithoutCompressionSaysNone() {
        MigrationOptions o = MigrationOptions.parse(List.of(), LIVE | PARALLEL, DESTINATION);
        assertThat(QemuMigrationSettings.of(o, DESTINATION, 0).parameters())
                .containsEntry("multifd-compression", "none")
                .doesNotContainKey("multifd-channels");
    }

    @Test
    void xbzrleCacheAndHugePostcopyBandwidthStayUnsigned() {
        List<TypedParam> params = List.of(
                string(MigrateParams.COMPRESSION, "xbzrle"),
                ullong(MigrateParams.COMPRESSION_XBZRLE_CACHE, 1L << 28),
                ullong(MigrateParams.BANDWIDTH_POSTCOPY, 17592186044415L));
        Map<String, Object> p = QemuMigrationSettings.of(MigrationOptions.parse(params, LIVE, SOURCE), SOURCE, 0)
                .parameters();
        assertThat(p).containsEntry("xbzrle-cache-size", 1L << 28);
        assertThat(p.get("max-postcopy-bandwidth"))
                .isEqualTo(BigInteger.valueOf(17592186044415L).multiply(BigInteger.valueOf(MIB)));
        assertThat(p.get("max-postcopy-bandwidth").toString()).isEqualTo("18446744073708503040");
    }

    @Test
    void everyEmittedNameIsDeclared() {
        List<TypedParam> params = List.of(
                ullong(MigrateParams.BANDWIDTH_POSTCOPY, 1),
                integer(MigrateParams.AUTO_CONVERGE_INITIAL, 30),
                integer(MigrateParams.AUTO_CONVERGE_INCREMENT, 5),
                integer(MigrateParams.PARALLEL_CONNECTIONS, 2),
                string(MigrateParams.COMPRESSION, "zstd"),
                integer(MigrateParams.COMPRESSION_ZSTD_LEVEL, 3));
        QemuMigrationSettings s = QemuMigrationSettings.of(
                MigrationOptions.parse(params, LIVE | AUTO_CONVERGE | PARALLEL | POSTCOPY | ZEROCOPY, SOURCE),
                SOURCE,
                0,
                Set.of("switchover-ack"));
        assertThat(QemuMigrationSettings.PARAMETER_NAMES)
                .containsAll(s.parameters().keySet());
        assertThat(QemuMigrationSettings.MANAGED_CAPABILITIES)
                .containsAll(s.requestedCapabilities())
                .containsAll(s.alwaysOnCapabilities());
    }

    @Test
    void restorablePutsBackOnlyWhatWasChanged() {
        Map<String, Object> originals = new LinkedHashMap<>();
        originals.put("max-bandwidth", 134217728L);
        originals.put("downtime-limit", 300L);
        originals.put("multifd-channels", 2);
        originals.put("announce-max", 550);
        originals.put("tls-creds", "");
        assertThat(QemuMigrationSettings.restorable(originals))
                .containsExactly(
                        entry("max-bandwidth", 134217728L), entry("multifd-channels", 2), entry("tls-creds", ""));
    }
}

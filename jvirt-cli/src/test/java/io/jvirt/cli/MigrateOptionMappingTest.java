package io.jvirt.cli;

import static io.jvirt.api.TypedParam.Type.INT;
import static io.jvirt.api.TypedParam.Type.STRING;
import static io.jvirt.api.TypedParam.Type.ULLONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jvirt.api.MigrateFlags;
import io.jvirt.api.TypedParam;
import io.jvirt.cli.migrate.MigrateEnvironment;
import io.jvirt.cli.migrate.Ticker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every migrate option, one at a time (with what it needs), and the flags and typed parameters the source receives
 * for it, as virsh 11.3 passes them: peer to peer, so the source's Perform sees them untouched.
 */
class MigrateOptionMappingTest {
    private static final long P2P = MigrateFlags.PEER2PEER;

    static Stream<Arguments> switches() {
        return Stream.of(
                arguments("--live", MigrateFlags.LIVE),
                arguments("--offline --persistent", MigrateFlags.OFFLINE | MigrateFlags.PERSIST_DEST),
                arguments("--tunnelled", MigrateFlags.TUNNELLED),
                arguments("--persistent", MigrateFlags.PERSIST_DEST),
                arguments("--undefinesource", MigrateFlags.UNDEFINE_SOURCE),
                arguments("--suspend", MigrateFlags.PAUSED),
                arguments("--copy-storage-all", MigrateFlags.NON_SHARED_DISK),
                arguments("--copy-storage-inc", MigrateFlags.NON_SHARED_INC),
                arguments(
                        "--copy-storage-all --copy-storage-synchronous-writes",
                        MigrateFlags.NON_SHARED_DISK | MigrateFlags.NON_SHARED_SYNCHRONOUS_WRITES),
                arguments("--change-protection", MigrateFlags.CHANGE_PROTECTION),
                arguments("--unsafe", MigrateFlags.UNSAFE),
                arguments("--verbose", 0L),
                arguments("--compressed", MigrateFlags.COMPRESSED),
                arguments("--auto-converge", MigrateFlags.AUTO_CONVERGE),
                arguments("--rdma-pin-all", MigrateFlags.RDMA_PIN_ALL),
                arguments("--abort-on-error", MigrateFlags.ABORT_ON_ERROR),
                arguments("--postcopy", MigrateFlags.POSTCOPY),
                arguments("--postcopy --postcopy-after-precopy", MigrateFlags.POSTCOPY),
                arguments("--postcopy --postcopy-resume", MigrateFlags.POSTCOPY | MigrateFlags.POSTCOPY_RESUME),
                arguments("--zerocopy", MigrateFlags.ZEROCOPY),
                arguments("--live --timeout 60", MigrateFlags.LIVE),
                arguments("--live --timeout 60 --timeout-suspend", MigrateFlags.LIVE),
                arguments(
                        "--live --postcopy --timeout 60 --timeout-postcopy", MigrateFlags.LIVE | MigrateFlags.POSTCOPY),
                arguments("--tls", MigrateFlags.TLS),
                arguments("--parallel", MigrateFlags.PARALLEL));
    }

    static Stream<Arguments> values() {
        return Stream.of(
                arguments("--migrateuri tcp:dst:49152", List.of(p("migrate_uri", STRING, "tcp:dst:49152"))),
                arguments("--graphicsuri spice://dst:5900", List.of(p("graphics_uri", STRING, "spice://dst:5900"))),
                arguments("--listen-address 192.0.2.1", List.of(p("listen_address", STRING, "192.0.2.1"))),
                arguments("--dname g2", List.of(p("destination_name", STRING, "g2"))),
                arguments(
                        "--copy-storage-all --migrate-disks vda,vdb",
                        List.of(p("migrate_disks", STRING, "vda"), p("migrate_disks", STRING, "vdb"))),
                arguments(
                        "--copy-storage-inc --migrate-disks-detect-zeroes vdc",
                        List.of(p("migrate_disks_detect_zeroes", STRING, "vdc"))),
                arguments("--disks-port 49153", List.of(p("disks_port", INT, 49153))),
                arguments("--disks-port 0", List.of()),
                arguments("--disks-uri unix:///run/nbd.sock", List.of(p("disks_uri", STRING, "unix:///run/nbd.sock"))),
                arguments(
                        "--comp-methods xbzrle,mt",
                        List.of(p("compression", STRING, "xbzrle"), p("compression", STRING, "mt"))),
                arguments("--comp-mt-level 9", List.of(p("compression.mt.level", INT, 9))),
                arguments("--comp-mt-threads 4", List.of(p("compression.mt.threads", INT, 4))),
                arguments("--comp-mt-dthreads 2", List.of(p("compression.mt.dthreads", INT, 2))),
                arguments("--comp-xbzrle-cache 67108864", List.of(p("compression.xbzrle.cache", ULLONG, 67108864L))),
                arguments("--comp-zlib-level 6", List.of(p("compression.zlib.level", INT, 6))),
                arguments("--comp-zstd-level 3", List.of(p("compression.zstd.level", INT, 3))),
                arguments("--auto-converge --auto-converge-initial 20", List.of(p("auto_converge.initial", INT, 20))),
                arguments(
                        "--auto-converge --auto-converge-increment 10", List.of(p("auto_converge.increment", INT, 10))),
                arguments("--postcopy-bandwidth 200", List.of(p("bandwidth.postcopy", ULLONG, 200L))),
                arguments("--parallel --parallel-connections 4", List.of(p("parallel.connections", INT, 4))),
                arguments("--bandwidth 100", List.of(p("bandwidth", ULLONG, 100L))),
                arguments("--bandwidth 0", List.of(p("bandwidth", ULLONG, 0L))),
                arguments("--tls --tls-destination dst.example", List.of(p("tls.destination", STRING, "dst.example"))),
                arguments(
                        "--available-switchover-bandwidth 1000",
                        List.of(p("bandwidth.avail.switchover", ULLONG, 1000L))),
                // Several at once keep virsh's order, not the command line's.
                arguments(
                        "--bandwidth 5 --dname g2 --comp-mt-level 1 --migrateuri tcp:h:1",
                        List.of(
                                p("migrate_uri", STRING, "tcp:h:1"), p("destination_name", STRING, "g2"),
                                p("compression.mt.level", INT, 1), p("bandwidth", ULLONG, 5L))));
    }

    private static TypedParam p(String field, TypedParam.Type type, Object value) {
        return new TypedParam(field, type, value);
    }

    private static FakeConnection run(String options) {
        FakeConnection source = new FakeConnection();
        source.addRunning("g1", UUID.fromString("11111111-2222-3333-4444-555555555555"), 3);
        List<String> args = new ArrayList<>(List.of("migrate", "g1", "qemu+ssh://dst/system", "--p2p"));
        args.addAll(Arrays.asList(options.split(" ")));
        MigrateEnvironment env = new MigrateEnvironment(
                uri -> {
                    throw new AssertionError("peer to peer opens no destination");
                },
                Ticker.SYSTEM);
        CliRun result = ScopedValue.where(MigrateEnvironment.CURRENT, env)
                .call(() -> CliRun.of(source, args.toArray(String[]::new)));
        // Only --verbose writes to stderr on success.
        assertThat(result.err())
                .as("stderr of " + options)
                .isEqualTo(options.equals("--verbose") ? "\rMigration: [100.00 %]" : "");
        assertThat(result.status()).isZero();
        return source;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("switches")
    void switchMapsToItsFlag(String options, long flags) {
        FakeConnection source = run(options);

        assertThat(MigrateFlags.names(source.migrateFlags)).isEqualTo(MigrateFlags.names(P2P | flags));
        assertThat(source.migrateParams).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void valueMapsToItsTypedParameters(String options, List<TypedParam> params) {
        FakeConnection source = run(options);

        assertThat(source.migrateParams).containsExactlyElementsOf(params);
    }
}

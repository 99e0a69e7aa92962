package io.jvirt.driver.migration;

import static io.jvirt.api.MigrateFlags.AUTO_CONVERGE;
import static io.jvirt.api.MigrateFlags.COMPRESSED;
import static io.jvirt.api.MigrateFlags.LIVE;
import static io.jvirt.api.MigrateFlags.NON_SHARED_DISK;
import static io.jvirt.api.MigrateFlags.NON_SHARED_INC;
import static io.jvirt.api.MigrateFlags.OFFLINE;
import static io.jvirt.api.MigrateFlags.PARALLEL;
import static io.jvirt.api.MigrateFlags.PAUSED;
import static io.jvirt.api.MigrateFlags.PEER2PEER;
import static io.jvirt.api.MigrateFlags.PERSIST_DEST;
import static io.jvirt.api.MigrateFlags.POSTCOPY;
import static io.jvirt.api.MigrateFlags.POSTCOPY_RESUME;
import static io.jvirt.api.MigrateFlags.RDMA_PIN_ALL;
import static io.jvirt.api.MigrateFlags.TUNNELLED;
import static io.jvirt.api.MigrateFlags.ZEROCOPY;
import static io.jvirt.api.TypedParam.integer;
import static io.jvirt.api.TypedParam.string;
import static io.jvirt.api.TypedParam.ullong;
import static io.jvirt.driver.migration.MigrationOptions.Side.DESTINATION;
import static io.jvirt.driver.migration.MigrationOptions.Side.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.MigrationOptions.Side;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal of {@link MigrationOptions#parse}: the code and the whole message a libvirt client would print. */
class MigrationOptionsRefusalTest {
    private static final long P2P_LIVE = LIVE | PEER2PEER;

    record Refusal(String name, Side side, long flags, List<TypedParam> params, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name + " (" + side + ")";
        }
    }

    private static Refusal refusal(
            String name, Side side, long flags, List<TypedParam> params, ErrorCode code, String message) {
        return new Refusal(name, side, flags, params, code, message);
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                refusal(
                        "unknown flag bit",
                        SOURCE,
                        LIVE | (1L << 21) | (1L << 40),
                        List.of(),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: unsupported flags (0x10000200000) in function qemuDomainMigrateBegin3Params"),
                refusal(
                        "unknown flag bit",
                        DESTINATION,
                        1L << 22,
                        List.of(),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: unsupported flags (0x400000) in function qemuDomainMigratePrepare3Params"),
                refusal(
                        "unknown parameter",
                        SOURCE,
                        LIVE,
                        List.of(string("migrate_disks_detect_zeroes", "vda")),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: parameter 'migrate_disks_detect_zeroes' not supported"),
                refusal(
                        "wrong type",
                        SOURCE,
                        LIVE,
                        List.of(integer(MigrateParams.BANDWIDTH, 10)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: invalid type 'int' for parameter 'bandwidth', expected 'ullong'"),
                refusal(
                        "wrong type for a string",
                        DESTINATION,
                        LIVE,
                        List.of(ullong(MigrateParams.URI, 1)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: invalid type 'ullong' for parameter 'migrate_uri', expected 'string'"),
                refusal(
                        "repeated single-valued parameter",
                        SOURCE,
                        LIVE,
                        List.of(string(MigrateParams.DEST_NAME, "a"), string(MigrateParams.DEST_NAME, "b")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: parameter 'destination_name' occurs multiple times"),
                refusal(
                        "both storage flags",
                        SOURCE,
                        LIVE | NON_SHARED_DISK | NON_SHARED_INC,
                        List.of(),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Flags 'VIR_MIGRATE_NON_SHARED_DISK' and "
                                + "'VIR_MIGRATE_NON_SHARED_INC' are mutually exclusive"),
                refusal(
                        "tunnelled without p2p",
                        SOURCE,
                        LIVE | TUNNELLED,
                        List.of(),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: cannot perform tunnelled migration without using peer2peer flag"),
                refusal(
                        "post-copy resume without post-copy",
                        SOURCE,
                        LIVE | POSTCOPY_RESUME,
                        List.of(),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: resuming failed post-copy migration requires post-copy to be enabled"),
                refusal(
                        "bandwidth too large",
                        SOURCE,
                        LIVE,
                        List.of(ullong(MigrateParams.BANDWIDTH, 8796093022208L)),
                        ErrorCode.OVERFLOW,
                        "numerical overflow: bandwidth must be less than 8796093022208"),
                refusal(
                        "bandwidth above 2^63 (unsigned)",
                        SOURCE,
                        LIVE,
                        List.of(ullong(MigrateParams.BANDWIDTH, -1L)),
                        ErrorCode.OVERFLOW,
                        "numerical overflow: bandwidth must be less than 8796093022208"),
                refusal(
                        "disks_uri with disks_port",
                        DESTINATION,
                        LIVE,
                        List.of(string(MigrateParams.DISKS_URI, "tcp://h:1"), integer(MigrateParams.DISKS_PORT, 2)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Both port and URI requested for disk migration "
                                + "while being mutually exclusive"),
                refusal(
                        "listen address with a unix URI",
                        SOURCE,
                        LIVE,
                        List.of(
                                string(MigrateParams.URI, "unix:/run/m.sock"),
                                string(MigrateParams.LISTEN_ADDRESS, "0.0.0.0")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Usage of listen-address is forbidden when "
                                + "migration URI uses UNIX transport method"),
                refusal(
                        "post-copy bandwidth too large",
                        DESTINATION,
                        LIVE,
                        List.of(ullong(MigrateParams.BANDWIDTH_POSTCOPY, 17592186044416L)),
                        ErrorCode.OVERFLOW,
                        "numerical overflow: migration parameter 'bandwidth.postcopy' must be less than "
                                + "17592186044416"),
                refusal(
                        "auto-converge tuning without the flag",
                        SOURCE,
                        LIVE,
                        List.of(integer(MigrateParams.AUTO_CONVERGE_INCREMENT, 5)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Turn auto convergence on to tune it"),
                refusal(
                        "parallel tuning without the flag",
                        DESTINATION,
                        LIVE,
                        List.of(integer(MigrateParams.PARALLEL_CONNECTIONS, 4)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Turn parallel migration on to tune it"),
                refusal(
                        "unknown compression method",
                        SOURCE,
                        LIVE,
                        List.of(string(MigrateParams.COMPRESSION, "lz4")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Unsupported compression method 'lz4'"),
                refusal(
                        "compression method twice",
                        SOURCE,
                        LIVE,
                        List.of(
                                string(MigrateParams.COMPRESSION, "xbzrle"),
                                string(MigrateParams.COMPRESSION, "xbzrle")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Compression method 'xbzrle' is specified twice"),
                refusal(
                        "xbzrle with parallel",
                        SOURCE,
                        LIVE | PARALLEL,
                        List.of(string(MigrateParams.COMPRESSION, "xbzrle")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Compression method 'xbzrle' isn't supported with parallel migration"),
                refusal(
                        "mt with parallel",
                        DESTINATION,
                        LIVE | PARALLEL,
                        List.of(string(MigrateParams.COMPRESSION, "mt")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Compression method 'mt' isn't supported with parallel migration"),
                refusal(
                        "zstd without parallel",
                        SOURCE,
                        LIVE,
                        List.of(string(MigrateParams.COMPRESSION, "zstd")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Compression method 'zstd' is only supported with parallel migration"),
                refusal(
                        "two multifd methods",
                        SOURCE,
                        LIVE | PARALLEL,
                        List.of(string(MigrateParams.COMPRESSION, "zlib"), string(MigrateParams.COMPRESSION, "zstd")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Only one compression method could be specified with parallel compression"),
                refusal(
                        "mt tuning without mt",
                        SOURCE,
                        LIVE,
                        List.of(integer(MigrateParams.COMPRESSION_MT_THREADS, 2)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Turn multithread compression on to tune it"),
                refusal(
                        "xbzrle cache without xbzrle",
                        SOURCE,
                        LIVE,
                        List.of(ullong(MigrateParams.COMPRESSION_XBZRLE_CACHE, 1L << 26)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Turn xbzrle compression on to tune it"),
                refusal(
                        "zlib level without zlib",
                        SOURCE,
                        LIVE | PARALLEL,
                        List.of(
                                string(MigrateParams.COMPRESSION, "zstd"),
                                integer(MigrateParams.COMPRESSION_ZLIB_LEVEL, 1)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Turn zlib compression on to tune it"),
                refusal(
                        "zstd level without zstd",
                        DESTINATION,
                        LIVE | PARALLEL,
                        List.of(integer(MigrateParams.COMPRESSION_ZSTD_LEVEL, 1)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: Turn zstd compression on to tune it"),
                refusal(
                        "COMPRESSED with parallel and no method",
                        SOURCE,
                        LIVE | PARALLEL | COMPRESSED,
                        List.of(),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: No compression algorithm selected for parallel migration"),
                refusal(
                        "zlib level above 9",
                        SOURCE,
                        LIVE | PARALLEL,
                        List.of(
                                string(MigrateParams.COMPRESSION, "zlib"),
                                integer(MigrateParams.COMPRESSION_ZLIB_LEVEL, 10)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: migration parameter 'compression.zlib.level' must be "
                                + "between 0 and 9, got 10"),
                refusal(
                        "zstd level below 0",
                        DESTINATION,
                        LIVE | PARALLEL,
                        List.of(
                                string(MigrateParams.COMPRESSION, "zstd"),
                                integer(MigrateParams.COMPRESSION_ZSTD_LEVEL, -1)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: migration parameter 'compression.zstd.level' must be "
                                + "between 0 and 20, got -1"),
                refusal(
                        "zstd level above 20",
                        SOURCE,
                        LIVE | PARALLEL,
                        List.of(
                                string(MigrateParams.COMPRESSION, "zstd"),
                                integer(MigrateParams.COMPRESSION_ZSTD_LEVEL, 21)),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: migration parameter 'compression.zstd.level' must be "
                                + "between 0 and 20, got 21"),
                refusal(
                        "tunnelled with a migration URI",
                        SOURCE,
                        P2P_LIVE | TUNNELLED,
                        List.of(string(MigrateParams.URI, "tcp:h:49152")),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: migration URI is not supported by tunnelled migration"),
                refusal(
                        "tunnelled with a listen address",
                        SOURCE,
                        P2P_LIVE | TUNNELLED,
                        List.of(string(MigrateParams.LISTEN_ADDRESS, "::")),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: listen address is not supported by tunnelled migration"),
                refusal(
                        "tunnelled with a disks port",
                        SOURCE,
                        P2P_LIVE | TUNNELLED,
                        List.of(integer(MigrateParams.DISKS_PORT, 49153)),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: disk port address is not supported by tunnelled migration"),
                refusal(
                        "post-copy without live",
                        SOURCE,
                        POSTCOPY,
                        List.of(),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: post-copy migration is not supported with non-live or paused migration"),
                refusal(
                        "post-copy paused",
                        DESTINATION,
                        LIVE | POSTCOPY | PAUSED,
                        List.of(),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: post-copy migration is not supported with non-live or paused migration"),
                refusal(
                        "post-copy tunnelled",
                        SOURCE,
                        P2P_LIVE | POSTCOPY | TUNNELLED,
                        List.of(),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: post-copy is not supported with tunnelled migration"),
                refusal(
                        "offline with storage",
                        DESTINATION,
                        OFFLINE | PERSIST_DEST | NON_SHARED_DISK,
                        List.of(),
                        ErrorCode.OPERATION_INVALID,
                        "Requested operation is not valid: offline migration cannot handle non-shared storage"),
                refusal(
                        "offline not persistent",
                        SOURCE,
                        OFFLINE,
                        List.of(),
                        ErrorCode.OPERATION_INVALID,
                        "Requested operation is not valid: offline migration must be specified with the persistent "
                                + "flag set"),
                refusal(
                        "offline tunnelled",
                        SOURCE,
                        PEER2PEER | OFFLINE | PERSIST_DEST | TUNNELLED,
                        List.of(),
                        ErrorCode.OPERATION_INVALID,
                        "Requested operation is not valid: tunnelled offline migration does not make sense"),
                refusal(
                        "zero-copy without parallel",
                        SOURCE,
                        LIVE | ZEROCOPY,
                        List.of(),
                        ErrorCode.OPERATION_INVALID,
                        "Requested operation is not valid: zero-copy is only available for parallel migration"),
                refusal(
                        "storage tunnelled",
                        SOURCE,
                        P2P_LIVE | TUNNELLED | NON_SHARED_INC,
                        List.of(),
                        ErrorCode.OPERATION_UNSUPPORTED,
                        "Operation not supported: migration of non-shared storage is "
                                + "not supported with tunnelled migration and this QEMU"),
                refusal(
                        "storage over a unix migration URI without an NBD URI",
                        DESTINATION,
                        LIVE | NON_SHARED_DISK,
                        List.of(string(MigrateParams.URI, "unix:/run/m.sock")),
                        ErrorCode.INVALID_ARG,
                        "invalid argument: NBD URI must be supplied when migration URI uses UNIX transport method"),
                refusal(
                        "migrate_disks without storage flags",
                        SOURCE,
                        LIVE,
                        List.of(string(MigrateParams.MIGRATE_DISKS, "vda")),
                        ErrorCode.OPERATION_UNSUPPORTED,
                        "Operation not supported: use of 'VIR_MIGRATE_PARAM_MIGRATE_DISKS' requires use of "
                                + "'VIR_MIGRATE_NON_SHARED_DISK' or 'VIR_MIGRATE_NON_SHARED_INC' flag"),
                refusal(
                        "RDMA pinning",
                        DESTINATION,
                        LIVE | RDMA_PIN_ALL,
                        List.of(),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: RDMA migration (VIR_MIGRATE_RDMA_PIN_ALL) is not supported by jvirt yet"),
                refusal(
                        "RDMA URI",
                        SOURCE,
                        LIVE,
                        List.of(string(MigrateParams.URI, "rdma:10.0.0.2:49152")),
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        "argument unsupported: RDMA migration (an rdma: migrate_uri) is not supported by jvirt yet"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithLibvirtsCodeAndMessage(Refusal r) {
        assertThatThrownBy(() -> MigrationOptions.parse(r.params(), r.flags(), r.side()))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(r.code());
                    assertThat(e.getMessage()).isEqualTo(r.message());
                });
    }

    /** What libvirt checks on one side only passes on the other, where the same call is legitimate. */
    static Stream<Arguments> sourceOnlyChecks() {
        return Stream.of(
                Arguments.of("tunnelled without p2p", LIVE | TUNNELLED, List.of()),
                Arguments.of("bandwidth too large", LIVE, List.of(ullong(MigrateParams.BANDWIDTH, -1L))),
                Arguments.of(
                        "auto-converge tuning without the flag",
                        LIVE,
                        List.of(integer(MigrateParams.AUTO_CONVERGE_INITIAL, 30))),
                Arguments.of(
                        "tunnelled with a migration URI",
                        P2P_LIVE | TUNNELLED,
                        List.of(string(MigrateParams.URI, "tcp:h:1"))),
                Arguments.of("zero-copy without parallel", LIVE | ZEROCOPY, List.of()),
                Arguments.of(
                        "migrate_disks without storage flags",
                        LIVE,
                        List.of(string(MigrateParams.MIGRATE_DISKS, "vda"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sourceOnlyChecks")
    void sourceOnlyChecksDoNotRunOnTheDestination(String name, long flags, List<TypedParam> params) {
        assertThatThrownBy(() -> MigrationOptions.parse(params, flags, SOURCE)).isInstanceOf(VirtException.class);
        MigrationOptions options = MigrationOptions.parse(params, flags, DESTINATION);
        assertThat(options.flags()).isEqualTo(flags);
    }

    @ParameterizedTest(name = "auto_converge.* with AUTO_CONVERGE is accepted")
    @MethodSource("autoConvergeFlags")
    void autoConvergeTuningWithTheFlagIsAccepted(long flags) {
        MigrationOptions o = MigrationOptions.parse(
                List.of(
                        integer(MigrateParams.AUTO_CONVERGE_INITIAL, 30),
                        integer(MigrateParams.AUTO_CONVERGE_INCREMENT, 15)),
                flags,
                SOURCE);
        assertThat(o.autoConvergeInitial()).isEqualTo(30);
        assertThat(o.autoConvergeIncrement()).isEqualTo(15);
    }

    static Stream<Long> autoConvergeFlags() {
        return Stream.of(LIVE | AUTO_CONVERGE, P2P_LIVE | AUTO_CONVERGE);
    }
}

package io.jvirt.driver.migration;

import static io.jvirt.api.MigrateFlags.ABORT_ON_ERROR;
import static io.jvirt.api.MigrateFlags.AUTO_CONVERGE;
import static io.jvirt.api.MigrateFlags.COMPRESSED;
import static io.jvirt.api.MigrateFlags.LIVE;
import static io.jvirt.api.MigrateFlags.OFFLINE;
import static io.jvirt.api.MigrateFlags.PARALLEL;
import static io.jvirt.api.MigrateFlags.PAUSED;
import static io.jvirt.api.MigrateFlags.PEER2PEER;
import static io.jvirt.api.MigrateFlags.PERSIST_DEST;
import static io.jvirt.api.MigrateFlags.POSTCOPY;
import static io.jvirt.api.MigrateFlags.TUNNELLED;
import static io.jvirt.api.MigrateFlags.UNDEFINE_SOURCE;
import static io.jvirt.api.MigrateFlags.ZEROCOPY;
import static io.jvirt.api.TypedParam.integer;
import static io.jvirt.api.TypedParam.string;
import static io.jvirt.api.TypedParam.ullong;
import static io.jvirt.driver.migration.MigrationOptions.Side.DESTINATION;
import static io.jvirt.driver.migration.MigrationOptions.Side.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationOptionsTest {

    @Test
    void everyParameterLandsInItsField() {
        List<TypedParam> params = List.of(
                string(MigrateParams.URI, "tcp:dst.example:49152"),
                string(MigrateParams.DEST_NAME, "renamed"),
                string(MigrateParams.DEST_XML, "<domain/>"),
                string(MigrateParams.PERSIST_XML, "<domain type='qemu'/>"),
                ullong(MigrateParams.BANDWIDTH, 500),
                ullong(MigrateParams.BANDWIDTH_POSTCOPY, 300),
                string(MigrateParams.GRAPHICS_URI, "spice://dst.example:5901/"),
                string(MigrateParams.LISTEN_ADDRESS, "192.0.2.7"),
                integer(MigrateParams.DISKS_PORT, 49153),
                string(MigrateParams.COMPRESSION, "zstd"),
                integer(MigrateParams.COMPRESSION_ZSTD_LEVEL, 20),
                integer(MigrateParams.AUTO_CONVERGE_INITIAL, 40),
                integer(MigrateParams.AUTO_CONVERGE_INCREMENT, 20),
                integer(MigrateParams.PARALLEL_CONNECTIONS, 4),
                string(MigrateParams.TLS_DESTINATION, "dst.example"));
        long flags = LIVE | PEER2PEER | PERSIST_DEST | UNDEFINE_SOURCE | AUTO_CONVERGE | PARALLEL | ABORT_ON_ERROR;

        MigrationOptions o = MigrationOptions.parse(params, flags, SOURCE);

        assertThat(o.flags()).isEqualTo(flags);
        assertThat(o.uri()).isEqualTo("tcp:dst.example:49152");
        assertThat(o.destinationName()).isEqualTo("renamed");
        assertThat(o.destinationXml()).isEqualTo("<domain/>");
        assertThat(o.persistentXml()).isEqualTo("<domain type='qemu'/>");
        assertThat(o.bandwidthMiBps()).isEqualTo(500L);
        assertThat(o.postcopyBandwidthMiBps()).isEqualTo(300L);
        assertThat(o.graphicsUri()).isEqualTo("spice://dst.example:5901/");
        assertThat(o.listenAddress()).isEqualTo("192.0.2.7");
        assertThat(o.disksPort()).isEqualTo(49153);
        assertThat(o.disksUri()).isNull();
        assertThat(o.compression()).containsExactly(CompressionMethod.ZSTD);
        assertThat(o.multifdCompression()).isEqualTo(CompressionMethod.ZSTD);
        assertThat(o.zstdLevel()).isEqualTo(20);
        assertThat(o.zlibLevel()).isNull();
        assertThat(o.autoConvergeInitial()).isEqualTo(40);
        assertThat(o.autoConvergeIncrement()).isEqualTo(20);
        assertThat(o.parallelConnections()).isEqualTo(4);
        assertThat(o.tlsDestination()).isEqualTo("dst.example");
        assertThat(o.live()).isTrue();
        assertThat(o.peerToPeer()).isTrue();
        assertThat(o.persistDest()).isTrue();
        assertThat(o.undefineSource()).isTrue();
        assertThat(o.autoConverge()).isTrue();
        assertThat(o.parallel()).isTrue();
        assertThat(o.abortOnError()).isTrue();
        assertThat(o.compressed()).isTrue();
        assertThat(o.paused()).isFalse();
        assertThat(o.tunnelled()).isFalse();
        assertThat(o.postcopy()).isFalse();
        assertThat(o.offline()).isFalse();
    }

    @Test
    void noParametersAtAllIsAPlainLiveMigration() {
        MigrationOptions o = MigrationOptions.parse(null, LIVE, SOURCE);
        assertThat(o.uri()).isNull();
        assertThat(o.bandwidthMiBps()).isNull();
        assertThat(o.migrateDisks()).isEmpty();
        assertThat(o.compression()).isEmpty();
        assertThat(o.compressed()).isFalse();
        assertThat(o.multifdCompression()).isNull();
    }

    @Test
    void theDestinationDropsWhatOnlyTheSourceReads() {
        List<TypedParam> params = List.of(
                ullong(MigrateParams.BANDWIDTH, 100),
                integer(MigrateParams.AUTO_CONVERGE_INITIAL, 30),
                string(MigrateParams.TLS_DESTINATION, "h"));
        MigrationOptions o = MigrationOptions.parse(params, LIVE | AUTO_CONVERGE, DESTINATION);
        assertThat(o.bandwidthMiBps()).isNull();
        assertThat(o.autoConvergeInitial()).isNull();
        assertThat(o.tlsDestination()).isNull();
    }

    @Test
    void zeroBandwidthMeansNotGiven() {
        MigrationOptions o = MigrationOptions.parse(List.of(ullong(MigrateParams.BANDWIDTH, 0)), LIVE, SOURCE);
        assertThat(o.bandwidthMiBps()).isNull();
    }

    @Test
    void theLargestBandwidthsAreAccepted() {
        MigrationOptions o = MigrationOptions.parse(
                List.of(
                        ullong(MigrateParams.BANDWIDTH, 8796093022207L),
                        ullong(MigrateParams.BANDWIDTH_POSTCOPY, 17592186044415L)),
                LIVE,
                SOURCE);
        assertThat(o.bandwidthMiBps()).isEqualTo(8796093022207L);
        assertThat(o.postcopyBandwidthMiBps()).isEqualTo(17592186044415L);
    }

    @Test
    void compressedAloneMeansXbzrle() {
        MigrationOptions o = MigrationOptions.parse(List.of(), LIVE | COMPRESSED, SOURCE);
        assertThat(o.compression()).containsExactly(CompressionMethod.XBZRLE);
        assertThat(o.compressed()).isTrue();
    }

    @Test
    void explicitMethodsWinOverTheCompressedDefault() {
        MigrationOptions o = MigrationOptions.parse(
                List.of(string(MigrateParams.COMPRESSION, "mt"), integer(MigrateParams.COMPRESSION_MT_LEVEL, 3)),
                LIVE | COMPRESSED,
                DESTINATION);
        assertThat(o.compression()).containsExactly(CompressionMethod.MT);
        assertThat(o.mtLevel()).isEqualTo(3);
    }

    @Test
    void multiValuedParametersMayRepeatAndKeepTheirOrder() {
        List<TypedParam> params = List.of(
                string(MigrateParams.COMPRESSION, "mt"),
                string(MigrateParams.COMPRESSION, "xbzrle"),
                ullong(MigrateParams.COMPRESSION_XBZRLE_CACHE, 1L << 30),
                integer(MigrateParams.COMPRESSION_MT_THREADS, 4),
                integer(MigrateParams.COMPRESSION_MT_DTHREADS, 2));
        MigrationOptions o = MigrationOptions.parse(params, LIVE, SOURCE);
        assertThat(o.compression()).containsExactlyInAnyOrder(CompressionMethod.XBZRLE, CompressionMethod.MT);
        assertThat(o.xbzrleCacheBytes()).isEqualTo(1L << 30);
        assertThat(o.mtThreads()).isEqualTo(4);
        assertThat(o.mtDecompressThreads()).isEqualTo(2);

        // migrate_disks repeats too; past validation it is refused only for want of storage flags.
        List<TypedParam> disks =
                List.of(string(MigrateParams.MIGRATE_DISKS, "vdb"), string(MigrateParams.MIGRATE_DISKS, "vda"));
        MigrationOptions dst = MigrationOptions.parse(disks, LIVE, DESTINATION);
        assertThat(dst.migrateDisks()).containsExactly("vdb", "vda");
    }

    @Test
    void storageMigrationIsAcceptedWithItsParameters() {
        List<TypedParam> params = List.of(
                string(MigrateParams.MIGRATE_DISKS, "vda"),
                string(MigrateParams.DISKS_URI, "unix:///run/nbd.sock"),
                string(MigrateParams.URI, "unix:/run/m.sock"));
        long flags = LIVE | MigrateFlags.NON_SHARED_INC | MigrateFlags.NON_SHARED_SYNCHRONOUS_WRITES;
        MigrationOptions o = MigrationOptions.parse(params, flags, SOURCE);
        assertThat(o.copiesStorage()).isTrue();
        assertThat(o.copiesTopOnly()).isTrue();
        assertThat(o.synchronousWrites()).isTrue();
        assertThat(o.migrateDisks()).containsExactly("vda");
        assertThat(o.disksUri()).isEqualTo("unix:///run/nbd.sock");
        assertThat(MigrationOptions.parse(List.of(), LIVE | MigrateFlags.NON_SHARED_SYNCHRONOUS_WRITES, SOURCE)
                        .copiesStorage())
                .as("synchronous writes alone copy nothing, and are not refused")
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = TypedParam.Type.class,
            names = {"INT", "UINT", "LLONG", "DOUBLE", "BOOLEAN", "STRING"})
    void bandwidthMustBeUllong(TypedParam.Type type) {
        Object value = switch (type) {
            case INT, UINT -> 1;
            case LLONG, ULLONG -> 1L;
            case DOUBLE -> 1.0;
            case BOOLEAN -> true;
            case STRING -> "1";
        };
        TypedParam p = new TypedParam(MigrateParams.BANDWIDTH, type, value);
        String typeName = type.name().toLowerCase(java.util.Locale.ROOT);
        assertThatThrownBy(() -> MigrationOptions.parse(List.of(p), LIVE, SOURCE))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
                    assertThat(e.getMessage())
                            .isEqualTo("invalid argument: invalid type '" + typeName
                                    + "' for parameter 'bandwidth', expected 'ullong'");
                });
    }

    @Test
    void aValueThatDoesNotMatchItsDeclaredTypeIsRefused() {
        TypedParam p = new TypedParam(MigrateParams.PARALLEL_CONNECTIONS, TypedParam.Type.INT, "four");
        assertThatThrownBy(() -> MigrationOptions.parse(List.of(p), LIVE | PARALLEL, SOURCE))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG));
    }

    @Test
    void parametersAreValidatedInNameOrder() {
        // Both are wrong; "bandwidth" sorts before "migrate_uri", so its problem is the one reported.
        List<TypedParam> params = List.of(integer(MigrateParams.URI, 1), integer(MigrateParams.BANDWIDTH, 1));
        assertThatThrownBy(() -> MigrationOptions.parse(params, LIVE, SOURCE))
                .hasMessage("invalid argument: invalid type 'int' for parameter 'bandwidth', expected 'ullong'");
    }

    @Test
    void anUnknownNameEndsValidation() {
        // "auto_converge.bogus" sorts before "bandwidth": the unknown name is reported, not the bad type after it.
        List<TypedParam> params = List.of(integer(MigrateParams.BANDWIDTH, 1), integer("auto_converge.bogus", 1));
        assertThatThrownBy(() -> MigrationOptions.parse(params, LIVE, SOURCE))
                .hasMessage("argument unsupported: parameter 'auto_converge.bogus' not supported");
    }

    @Test
    void flagBitsAreCheckedBeforeParameters() {
        assertThatThrownBy(() -> MigrationOptions.parse(List.of(integer("bogus", 1)), 1L << 30, DESTINATION))
                .hasMessageContaining("unsupported flags (0x40000000)");
    }

    @Test
    void everyKnownFlagPassesTheBitCheck() {
        // ALL passes the bit check and is then refused for what jvirt cannot do, not for unknown bits.
        assertThatThrownBy(() -> MigrationOptions.parse(List.of(), MigrateFlags.ALL, SOURCE))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.getMessage()).doesNotContain("unsupported flags"));
    }

    @Test
    void acceptedCombinations() {
        assertThat(MigrationOptions.parse(List.of(), LIVE | POSTCOPY, SOURCE).postcopy())
                .isTrue();
        assertThat(MigrationOptions.parse(List.of(), OFFLINE | PERSIST_DEST, SOURCE)
                        .offline())
                .isTrue();
        assertThat(MigrationOptions.parse(List.of(), LIVE | PARALLEL | ZEROCOPY, SOURCE)
                        .zeroCopy())
                .isTrue();
        assertThat(MigrationOptions.parse(List.of(), PEER2PEER | TUNNELLED | PAUSED, SOURCE)
                        .tunnelled())
                .isTrue();
        assertThat(MigrationOptions.parse(List.of(string(MigrateParams.URI, "unix:/run/m.sock")), LIVE, SOURCE)
                        .uri())
                .isEqualTo("unix:/run/m.sock");
    }
}

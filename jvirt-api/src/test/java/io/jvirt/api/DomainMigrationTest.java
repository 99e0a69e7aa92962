package io.jvirt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Client-managed migration against two recording hosts: which phase runs on which host, in what order, with which
 * cookies, flags and parameters, and which undoing phases run after each failure.
 */
class DomainMigrationTest {
    private static final Set<Integer> V3 =
            Set.of(DriverFeature.MIGRATION_V2, DriverFeature.MIGRATION_V3, DriverFeature.MIGRATION_PARAMS);
    private static final Set<Integer> V3_PROTECTED = Set.of(
            DriverFeature.MIGRATION_V2,
            DriverFeature.MIGRATION_V3,
            DriverFeature.MIGRATION_PARAMS,
            DriverFeature.MIGRATE_CHANGE_PROTECTION,
            DriverFeature.MIGRATION_OFFLINE,
            DriverFeature.MIGRATION_P2P);
    private static final Set<Integer> V2_ONLY = Set.of(DriverFeature.MIGRATION_V2);

    private final List<Call> calls = new ArrayList<>();
    private final DomainRef domain = new DomainRef("g1", UUID.randomUUID(), 3);
    private final RecordingConnection src = new RecordingConnection("src", V3_PROTECTED);
    private final RecordingConnection dst = new RecordingConnection("dst", V3);

    /** One phase call as a host received it. */
    record Call(
            String host,
            String phase,
            List<TypedParam> params,
            String cookie,
            long flags,
            Boolean cancelled,
            String extra) {
        Object param(String field) {
            return TypedParam.find(params, field).orElse(null);
        }
    }

    @Test
    void version3RunsEveryPhaseInOrderPassingEachCookieOn() {
        long flags = MigrateFlags.LIVE | MigrateFlags.PERSIST_DEST;
        List<TypedParam> params = List.of(TypedParam.ullong(MigrateParams.BANDWIDTH, 100));

        DomainRef migrated = DomainMigration.migrate(src, domain, dst, params, flags);

        assertThat(phases())
                .containsExactly("src.begin3", "dst.prepare3", "src.perform3", "dst.finish3", "src.confirm3");
        assertThat(migrated).isEqualTo(dst.finished);
        assertThat(call("prepare3").cookie()).isEqualTo(src.beginCookie);
        assertThat(call("perform3").cookie()).isEqualTo(dst.prepareCookie);
        assertThat(call("finish3").cookie()).isEqualTo(src.performCookie);
        assertThat(call("confirm3").cookie()).isEqualTo(dst.finishCookie);
        assertThat(call("finish3").cancelled()).isFalse();
        assertThat(call("confirm3").cancelled()).isFalse();
        assertThat(call("perform3").extra()).as("no dconnuri without peer2peer").isNull();
        assertThat(call("perform3").param(MigrateParams.URI)).isEqualTo(dst.preparedUri);
        assertThat(call("prepare3").param(MigrateParams.BANDWIDTH)).isEqualTo(100L);
    }

    @Test
    void changeProtectionGoesOnlyToTheSourceWhenItSupportsIt() {
        long flags = MigrateFlags.LIVE;
        DomainMigration.migrate(src, domain, dst, List.of(), flags);
        for (String phase : List.of("begin3", "perform3", "confirm3")) {
            assertThat(call(phase).flags()).as(phase).isEqualTo(flags | MigrateFlags.CHANGE_PROTECTION);
        }
        for (String phase : List.of("prepare3", "finish3")) {
            assertThat(call(phase).flags()).as(phase).isEqualTo(flags);
        }
    }

    @Test
    void withoutSourceSupportThereIsNoProtectionAndAskingForItIsRefused() {
        RecordingConnection plain = new RecordingConnection("src", V3);
        DomainMigration.migrate(plain, domain, dst, List.of(), MigrateFlags.LIVE);
        assertThat(call("begin3").flags()).isEqualTo(MigrateFlags.LIVE);
        calls.clear();

        assertFails(
                () -> DomainMigration.migrate(
                        plain, domain, dst, List.of(), MigrateFlags.LIVE | MigrateFlags.CHANGE_PROTECTION),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "cannot enforce change protection");
        assertThat(calls).isEmpty();
    }

    @Test
    void sourceOnlyFlagsAreLeftOutOfTheDestinationsCalls() {
        long flags = MigrateFlags.LIVE | MigrateFlags.ABORT_ON_ERROR | MigrateFlags.AUTO_CONVERGE;
        DomainMigration.migrate(src, domain, dst, List.of(), flags);
        assertThat(call("perform3").flags() & flags).isEqualTo(flags);
        assertThat(call("prepare3").flags()).isEqualTo(MigrateFlags.LIVE);
        assertThat(call("finish3").flags()).isEqualTo(MigrateFlags.LIVE);
    }

    @Test
    void aPausedSourceArrivesPaused() {
        src.state = DomainStatus.of(StateReason.PAUSED_USER);
        DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE);
        assertThat(call("prepare3").flags() & MigrateFlags.PAUSED).isNotZero();
        assertThat(call("finish3").flags() & MigrateFlags.PAUSED).isNotZero();
    }

    @Test
    void theDestinationGetsBeginsXmlAndTheDomainsName() {
        List<TypedParam> params = List.of(TypedParam.string(MigrateParams.DEST_XML, "<domain>caller's</domain>"));
        DomainMigration.migrate(src, domain, dst, params, MigrateFlags.LIVE);
        assertThat(call("begin3").param(MigrateParams.DEST_XML)).isEqualTo("<domain>caller's</domain>");
        assertThat(call("prepare3").params())
                .filteredOn(p -> p.field().equals(MigrateParams.DEST_XML))
                .singleElement()
                .extracting(TypedParam::value)
                .isEqualTo(src.beginXml);
        assertThat(call("finish3").param(MigrateParams.DEST_NAME)).isEqualTo("g1");
    }

    @Test
    void aDestinationNameTheCallerChoseIsKept() {
        List<TypedParam> params = List.of(TypedParam.string(MigrateParams.DEST_NAME, "g1-new"));
        DomainMigration.migrate(src, domain, dst, params, MigrateFlags.LIVE);
        assertThat(call("prepare3").param(MigrateParams.DEST_NAME)).isEqualTo("g1-new");
        assertThat(call("finish3").params())
                .filteredOn(p -> p.field().equals(MigrateParams.DEST_NAME))
                .singleElement()
                .extracting(TypedParam::value)
                .isEqualTo("g1-new");
    }

    @Test
    void theCallersUriStandsWhenTheDestinationChoseNone() {
        dst.preparedUri = null;
        List<TypedParam> params = List.of(TypedParam.string(MigrateParams.URI, "tcp:10.0.0.2:49999"));
        DomainMigration.migrate(src, domain, dst, params, MigrateFlags.LIVE);
        assertThat(call("perform3").param(MigrateParams.URI)).isEqualTo("tcp:10.0.0.2:49999");
    }

    @Test
    void prepareFailingReleasesAProtectedSource() {
        VirtException refused = VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "no room");
        dst.fail("prepare3", refused);

        assertThatThrownBy(() -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isSameAs(refused);

        assertThat(phases()).containsExactly("src.begin3", "dst.prepare3", "src.confirm3");
        assertThat(call("confirm3").cancelled()).isTrue();
        assertThat(call("confirm3").cookie()).isNull();
        assertThat(call("confirm3").flags() & MigrateFlags.CHANGE_PROTECTION).isNotZero();
    }

    @Test
    void prepareFailingWithoutProtectionLeavesTheSourceAlone() {
        RecordingConnection plain = new RecordingConnection("src", V3);
        dst.fail("prepare3", VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "no room"));
        assertThatThrownBy(() -> DomainMigration.migrate(plain, domain, dst, List.of(), MigrateFlags.LIVE))
                .hasMessageContaining("no room");
        assertThat(phases()).containsExactly("src.begin3", "dst.prepare3");
    }

    @Test
    void aFailingReleaseDoesNotHideThePrepareError() {
        VirtException refused = VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "no room");
        dst.fail("prepare3", refused);
        src.fail("confirm3", VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "gone"));
        assertThatThrownBy(() -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isSameAs(refused);
    }

    @Test
    void performFailingTearsTheDestinationDownAndThrowsPerformsError() {
        VirtException aborted = VirtException.of(
                ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "job 'migration out' canceled by client");
        src.fail("perform3", aborted);
        dst.fail("finish3", VirtException.of(ErrorCode.MIGRATE_FINISH_OK, ErrorDomain.QEMU, "was cancelled"));

        assertThatThrownBy(() -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isSameAs(aborted);

        assertThat(phases()).containsExactly("src.begin3", "dst.prepare3", "src.perform3", "dst.finish3");
        assertThat(call("finish3").cancelled()).isTrue();
        assertThat(call("finish3").cookie()).isNull();
    }

    @Test
    void whenPerformOnlyKnowsItFailedTheDestinationsErrorIsThrown() {
        src.fail(
                "perform3",
                VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.QEMU,
                        "job 'migration out' failed: Unable to write to socket"));
        VirtException real = VirtException.of(
                ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "load of migration failed: Input/output error");
        dst.fail("finish3", real);
        assertThatThrownBy(() -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isSameAs(real);
    }

    @Test
    void aCleanCancelOnTheDestinationDoesNotReplacePerformsError() {
        VirtException failed = VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "job failed");
        src.fail("perform3", failed);
        dst.fail("finish3", VirtException.of(ErrorCode.MIGRATE_FINISH_OK, ErrorDomain.QEMU, "was cancelled"));
        assertThatThrownBy(() -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isSameAs(failed);
    }

    @Test
    void aDestinationWithoutUriFailsBeforePerform() {
        dst.preparedUri = null;
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE),
                ErrorCode.INTERNAL_ERROR,
                "domainMigratePrepare3 did not set uri");
        assertThat(phases()).containsExactly("src.begin3", "dst.prepare3", "dst.finish3");
        assertThat(call("finish3").cancelled()).isTrue();
    }

    @Test
    void finishFailingResumesTheSourceAndThrowsFinishsError() {
        VirtException crashed = VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "guest crashed");
        dst.fail("finish3", crashed);

        assertThatThrownBy(() -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isSameAs(crashed);

        assertThat(phases())
                .containsExactly("src.begin3", "dst.prepare3", "src.perform3", "dst.finish3", "src.confirm3");
        assertThat(call("confirm3").cancelled()).isTrue();
        assertThat(call("confirm3").cookie()).isNull();
    }

    @Test
    void finishWithoutADomainCountsAsFailed() {
        dst.finished = null;
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE),
                ErrorCode.OPERATION_FAILED,
                "the destination did not start domain 'g1'");
        assertThat(call("confirm3").cancelled()).isTrue();
        assertThat(call("confirm3").cookie()).isEqualTo(dst.finishCookie);
    }

    @Test
    void aConfirmFailureAfterASuccessfulFinishStillReturnsTheDomain() {
        src.fail("confirm3", VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "kill failed"));
        assertThat(DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isEqualTo(dst.finished);
    }

    @Test
    void offlineMigrationSkipsPerform() {
        dst.features = V3_PROTECTED;
        dst.preparedUri = null;
        DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.OFFLINE | MigrateFlags.PERSIST_DEST);
        assertThat(phases()).containsExactly("src.begin3", "dst.prepare3", "dst.finish3", "src.confirm3");
        assertThat(call("finish3").cancelled()).isFalse();
    }

    @Test
    void offlineNeedsBothHostsToSupportIt() {
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.OFFLINE),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "offline migration is not supported by the destination host");
        assertFails(
                () -> DomainMigration.migrate(dst, domain, src, List.of(), MigrateFlags.OFFLINE),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "offline migration is not supported by the source host");
        assertThat(calls).isEmpty();
    }

    @Test
    void version2WhenOneHostLacksVersion3() {
        dst.features = V2_ONLY;
        List<TypedParam> params = List.of(
                TypedParam.string(MigrateParams.URI, "tcp:10.0.0.2:49999"),
                TypedParam.string(MigrateParams.DEST_NAME, "g1-new"),
                TypedParam.ullong(MigrateParams.BANDWIDTH, 64));
        long flags = MigrateFlags.LIVE | MigrateFlags.AUTO_CONVERGE;

        DomainRef migrated = DomainMigration.migrate(src, domain, dst, params, flags);

        assertThat(phases()).containsExactly("src.xmlDesc", "dst.prepare2", "src.perform2", "dst.finish2");
        assertThat(migrated).isEqualTo(dst.finished);
        assertThat(call("xmlDesc").flags()).isEqualTo(XmlFlags.MIGRATABLE | XmlFlags.SECURE);
        Call prepare = call("prepare2");
        assertThat(prepare.extra()).isEqualTo("tcp:10.0.0.2:49999 g1-new 64 " + src.v2Xml);
        assertThat(prepare.flags()).isEqualTo(MigrateFlags.LIVE);
        Call perform = call("perform2");
        assertThat(perform.extra()).isEqualTo(dst.preparedUri + " g1-new 64");
        assertThat(perform.flags()).isEqualTo(flags);
        Call finish = call("finish2");
        assertThat(finish.extra()).isEqualTo("g1-new " + dst.preparedUri);
        assertThat(finish.flags()).isEqualTo(MigrateFlags.LIVE);
        assertThat(finish.cancelled()).isFalse();
    }

    @Test
    void version2PerformFailureCancelsFinish() {
        dst.features = V2_ONLY;
        src.state = DomainStatus.of(StateReason.PAUSED_USER);
        VirtException failed = VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "job failed");
        src.fail("perform2", failed);
        assertThatThrownBy(() -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE))
                .isSameAs(failed);
        assertThat(call("finish2").cancelled()).isTrue();
        assertThat(call("finish2").extra()).startsWith("g1 ");
        assertThat(call("prepare2").flags() & MigrateFlags.PAUSED).isNotZero();
    }

    @Test
    void version2WithoutAnyUriCancelsTheDestination() {
        src.features = V2_ONLY;
        dst.preparedUri = null;
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE),
                ErrorCode.INTERNAL_ERROR,
                "domainMigratePrepare2 did not set uri");
        assertThat(phases()).containsExactly("src.xmlDesc", "dst.prepare2", "dst.finish2");
        assertThat(call("finish2").cancelled()).isTrue();
    }

    @Test
    void version2RefusesWhatItsArgumentsCannotCarry() {
        dst.features = V2_ONLY;
        assertFails(
                () -> DomainMigration.migrate(
                        src,
                        domain,
                        dst,
                        List.of(TypedParam.string(MigrateParams.DEST_XML, "<domain/>")),
                        MigrateFlags.LIVE),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "Unable to change target guest XML during migration");
        assertFails(
                () -> DomainMigration.migrate(
                        src,
                        domain,
                        dst,
                        List.of(TypedParam.string(MigrateParams.GRAPHICS_URI, "spice://h:1")),
                        MigrateFlags.LIVE),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "Some parameters are not supported by migration protocol 2");
        assertThat(calls).isEmpty();
    }

    @Test
    void hostsWithoutACommonProtocolCannotMigrate() {
        dst.features = Set.of();
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE),
                ErrorCode.NO_SUPPORT,
                "Migration not supported by either the source or the destination host");
    }

    @Test
    void flagRefusals() {
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.LIVE | (1L << 40)),
                ErrorCode.INVALID_ARG,
                "unsupported flags (0x10000000000)");
        assertFails(
                () -> DomainMigration.migrate(
                        src, domain, dst, List.of(), MigrateFlags.NON_SHARED_DISK | MigrateFlags.NON_SHARED_INC),
                ErrorCode.INVALID_ARG,
                "flags 'non_shared_disk' and 'non_shared_inc' in migration are mutually exclusive");
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.TUNNELLED),
                ErrorCode.INVALID_ARG,
                "cannot perform tunnelled migration without using peer2peer flag");
        assertFails(
                () -> DomainMigration.migrate(src, domain, dst, List.of(), MigrateFlags.PEER2PEER),
                ErrorCode.INVALID_ARG,
                "use virDomainMigrateToURI3 for peer-to-peer migration");
        assertThat(calls).isEmpty();
    }

    @Test
    void peerToPeerIsHandedToTheSourceWhole() {
        List<TypedParam> params = List.of(TypedParam.ullong(MigrateParams.BANDWIDTH, 10));
        long flags = MigrateFlags.LIVE | MigrateFlags.PEER2PEER;
        DomainMigration.migrateToUri(src, domain, "qemu+tcp://dst/system", params, flags);
        assertThat(phases()).containsExactly("src.perform3");
        Call perform = call("perform3");
        assertThat(perform.extra()).isEqualTo("qemu+tcp://dst/system");
        assertThat(perform.cookie()).isNull();
        assertThat(perform.flags()).isEqualTo(flags);
        assertThat(perform.params()).isEqualTo(params);
    }

    @Test
    void peerToPeerRefusals() {
        assertFails(
                () -> DomainMigration.migrateToUri(src, domain, "qemu+tcp://dst/system", List.of(), MigrateFlags.LIVE),
                ErrorCode.INVALID_ARG,
                "needs the peer2peer flag");
        assertFails(
                () -> DomainMigration.migrateToUri(
                        dst, domain, "qemu+tcp://dst/system", List.of(), MigrateFlags.PEER2PEER),
                ErrorCode.ARGUMENT_UNSUPPORTED,
                "Source host does not support peer-to-peer migration");
        assertFails(
                () -> DomainMigration.migrateToUri(
                        src,
                        domain,
                        "qemu+tcp://dst/system",
                        List.of(),
                        MigrateFlags.PEER2PEER | MigrateFlags.NON_SHARED_DISK | MigrateFlags.NON_SHARED_INC),
                ErrorCode.INVALID_ARG,
                "mutually exclusive");
        assertFails(
                () -> DomainMigration.migrateToUri(
                        src,
                        domain,
                        "qemu+tcp://dst/system",
                        List.of(),
                        MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.TUNNELLED | MigrateFlags.PARALLEL),
                ErrorCode.INVALID_ARG,
                "Flags 'VIR_MIGRATE_TUNNELLED' and 'VIR_MIGRATE_PARALLEL' are mutually exclusive");
        assertThat(calls).isEmpty();
    }

    private List<String> phases() {
        return calls.stream().map(c -> c.host() + "." + c.phase()).toList();
    }

    private Call call(String phase) {
        return calls.stream()
                .filter(c -> c.phase().equals(phase))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + phase + " in " + phases()));
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    /** A host that records every phase call into the shared list and answers with distinct values. */
    final class RecordingConnection implements Connection, MigrationPhases {
        private final String host;
        private final Map<String, VirtException> failures = new HashMap<>();
        Set<Integer> features;
        DomainStatus state = DomainStatus.of(StateReason.RUNNING_BOOTED);
        final String beginXml;
        final String beginCookie;
        final String prepareCookie;
        final String performCookie;
        final String finishCookie;
        final String v2Xml;
        String preparedUri;
        DomainRef finished;

        RecordingConnection(String host, Set<Integer> features) {
            this.host = host;
            this.features = features;
            this.beginXml = "<domain><name>g1</name><!-- from " + host + " begin --></domain>";
            this.beginCookie = "<qemu-migration><!-- " + host + " begin --></qemu-migration>";
            this.prepareCookie = "<qemu-migration><!-- " + host + " prepare --></qemu-migration>";
            this.performCookie = "<qemu-migration><!-- " + host + " perform --></qemu-migration>";
            this.finishCookie = "<qemu-migration><!-- " + host + " finish --></qemu-migration>";
            this.v2Xml = "<domain><!-- " + host + " v2 --></domain>";
            this.preparedUri = "tcp:" + host + ".example.org:49152";
            this.finished = new DomainRef("g1", domain.uuid(), 7);
        }

        void fail(String phase, VirtException e) {
            failures.put(phase, e);
        }

        private void record(
                String phase, List<TypedParam> params, String cookie, long flags, Boolean cancelled, String extra) {
            calls.add(new Call(
                    host, phase, params == null ? List.of() : List.copyOf(params), cookie, flags, cancelled, extra));
            VirtException failure = failures.get(phase);
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public boolean supportsFeature(int feature) {
            return features.contains(feature);
        }

        @Override
        public DomainStatus state(DomainRef d) {
            return state;
        }

        @Override
        public String xmlDesc(DomainRef d, int flags) {
            record("xmlDesc", null, null, flags, null, null);
            return v2Xml;
        }

        @Override
        public MigrationBegin migrateBegin3(DomainRef d, List<TypedParam> params, long flags) {
            record("begin3", params, null, flags, null, null);
            return new MigrationBegin(beginXml, beginCookie);
        }

        @Override
        public MigrationPrepared migratePrepare3(List<TypedParam> params, String cookie, long flags) {
            record("prepare3", params, cookie, flags, null, null);
            return new MigrationPrepared(prepareCookie, preparedUri);
        }

        @Override
        public String migratePerform3(
                DomainRef d, String dconnuri, List<TypedParam> params, String cookie, long flags) {
            record("perform3", params, cookie, flags, null, dconnuri);
            return performCookie;
        }

        @Override
        public MigrationFinished migrateFinish3(List<TypedParam> params, String cookie, long flags, boolean cancelled) {
            record("finish3", params, cookie, flags, cancelled, null);
            return new MigrationFinished(finished, finishCookie);
        }

        @Override
        public void migrateConfirm3(
                DomainRef d, List<TypedParam> params, String cookie, long flags, boolean cancelled) {
            record("confirm3", params, cookie, flags, cancelled, null);
        }

        @Override
        public String migratePrepare2(String uri, long flags, String dname, long bandwidth, String xml) {
            record("prepare2", null, null, flags, null, uri + " " + dname + " " + bandwidth + " " + xml);
            return preparedUri;
        }

        @Override
        public void migratePerform2(DomainRef d, String uri, long flags, String dname, long bandwidth) {
            record("perform2", null, null, flags, null, uri + " " + dname + " " + bandwidth);
        }

        @Override
        public DomainRef migrateFinish2(String dname, String uri, long flags, boolean cancelled) {
            record("finish2", null, null, flags, cancelled, dname + " " + uri);
            return finished;
        }

        // Nothing below is part of a migration; reaching it is a test failure.

        private static AssertionError notInMigration() {
            return new AssertionError("not a migration call");
        }

        @Override
        public String uri() {
            throw notInMigration();
        }

        @Override
        public String hostname() {
            throw notInMigration();
        }

        @Override
        public UUID hostUuid() {
            throw notInMigration();
        }

        @Override
        public String hypervisorType() {
            throw notInMigration();
        }

        @Override
        public long hypervisorVersion() {
            throw notInMigration();
        }

        @Override
        public long libVersion() {
            throw notInMigration();
        }

        @Override
        public List<DomainRef> listAllDomains(int flags) {
            throw notInMigration();
        }

        @Override
        public DomainRef lookupByName(String name) {
            throw notInMigration();
        }

        @Override
        public DomainRef lookupByUuid(UUID uuid) {
            throw notInMigration();
        }

        @Override
        public DomainRef lookupById(int id) {
            throw notInMigration();
        }

        @Override
        public DomainRef defineXml(String xml) {
            throw notInMigration();
        }

        @Override
        public void undefine(DomainRef d, int flags) {
            throw notInMigration();
        }

        @Override
        public DomainRef createXml(String xml, int flags) {
            throw notInMigration();
        }

        @Override
        public void create(DomainRef d, int flags) {
            throw notInMigration();
        }

        @Override
        public void destroy(DomainRef d, int flags) {
            throw notInMigration();
        }

        @Override
        public void shutdown(DomainRef d, int flags) {
            throw notInMigration();
        }

        @Override
        public DomainStatus awaitShutoff(DomainRef d, long timeoutMillis) {
            throw notInMigration();
        }

        @Override
        public void reboot(DomainRef d, int flags) {
            throw notInMigration();
        }

        @Override
        public void reset(DomainRef d, int flags) {
            throw notInMigration();
        }

        @Override
        public void suspend(DomainRef d) {
            throw notInMigration();
        }

        @Override
        public void resume(DomainRef d) {
            throw notInMigration();
        }

        @Override
        public DomainInfo info(DomainRef d) {
            throw notInMigration();
        }

        @Override
        public boolean isActive(DomainRef d) {
            throw notInMigration();
        }

        @Override
        public boolean isPersistent(DomainRef d) {
            throw notInMigration();
        }

        @Override
        public boolean autostart(DomainRef d) {
            throw notInMigration();
        }

        @Override
        public void setAutostart(DomainRef d, boolean autostart) {
            throw notInMigration();
        }

        @Override
        public void close() {}
    }
}

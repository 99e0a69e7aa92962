package io.jvirt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MigrationPhasesTest {

    @Test
    void aConnectionWithThePhasesIsItsOwnPhases() {
        Connection both = connection(Connection.class, MigrationPhases.class);
        assertThat(MigrationPhases.of(both)).isSameAs(both);
    }

    @Test
    void aConnectionWithoutThemRefusesEachCallNamingItsApi() {
        MigrationPhases none = MigrationPhases.of(connection(Connection.class));
        DomainRef dom = new DomainRef("g1", UUID.randomUUID(), -1);
        refused(() -> none.migrateBegin3(dom, List.of(), 0), "virDomainMigrateBegin3Params");
        refused(() -> none.migratePrepare3(List.of(), null, 0), "virDomainMigratePrepare3Params");
        refused(() -> none.migratePrepareTunnel3(List.of(), null, 0, null), "virDomainMigratePrepareTunnel3Params");
        refused(() -> none.migrateTunnelChannel("g1", 1, null), "jvirtMigrateTunnelChannel");
        refused(() -> none.migratePerform3(dom, null, List.of(), null, 0), "virDomainMigratePerform3Params");
        refused(() -> none.migrateFinish3(List.of(), null, 0, false), "virDomainMigrateFinish3Params");
        refused(() -> none.migrateConfirm3(dom, List.of(), null, 0, true), "virDomainMigrateConfirm3Params");
        refused(() -> none.migratePrepare2(null, 0, null, 0, "<domain/>"), "virDomainMigratePrepare2");
        refused(() -> none.migratePrepareTunnel(0, null, 0, "<domain/>", null), "virDomainMigratePrepareTunnel");
        refused(() -> none.migratePerform2(dom, "tcp:h:1", 0, null, 0), "virDomainMigratePerform");
        refused(() -> none.migrateFinish2("g1", null, 0, true), "virDomainMigrateFinish2");
    }

    @Test
    void theClientOrchestrationRefusesAHostWithoutThePhasesAsBefore() {
        Connection src = connection(Connection.class);
        assertThatThrownBy(() -> DomainMigration.migrateToUri(
                        src,
                        new DomainRef("g1", UUID.randomUUID(), 1),
                        "qemu+tcp://dst/system",
                        List.of(),
                        MigrateFlags.LIVE | MigrateFlags.PEER2PEER))
                .isInstanceOfSatisfying(VirtException.class, noSupport("virDomainMigratePerform3Params"));
    }

    private static void refused(ThrowingCallable call, String api) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VirtException.class, noSupport(api));
    }

    private static Consumer<VirtException> noSupport(String api) {
        return e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_SUPPORT);
            assertThat(e.getMessage()).contains(api);
        };
    }

    /** A connection of the given interfaces that supports every feature and answers nothing else. */
    private static Connection connection(Class<?>... interfaces) {
        return (Connection) Proxy.newProxyInstance(
                MigrationPhasesTest.class.getClassLoader(),
                interfaces,
                (proxy, method, args) -> switch (method.getName()) {
                    case "supportsFeature" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "test connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.proto.RemoteProcedures;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DispatchTableTest {
    private final DispatchTable table = DispatchTable.standard();

    /** What virsh 11.3 sends for the commands of issue 5 (the RPC facts' traces plus 11.3's additions). */
    private static final List<Integer> VIRSH_PROCEDURES = List.of(
            66, 60, 1, 2, 360, 361, 110, 3, 4, 157, 6, 7, 59, // connection
            273, 51, 37, 25, 21, // list and its fallbacks
            23, 22, 24, 19, 16, 151, 150, 15, 449, 183, 122, 121, 426, 212, 14, 187, // lookups and dominfo
            11, 350, 231, 35, 9, 196, 10, 12, 234, 33, 258, 34, 28, 29, // lifecycle
            163, 298, 164, 442, // jobs
            207, 242, 166, 387, 364, // migration tuning
            55, 232, 440, 54, 233, 441, 235, 236, 182, 184, 53, 334, // save, restore, dump, managed save
            302, 303, 305, 306, 307, 108, 62, 109, // migration v3-params and v2
            316, 317, 167, 168); // events

    @Test
    void everyProcedureVirshSendsHasARoute() {
        assertThat(VIRSH_PROCEDURES)
                .allSatisfy(
                        n -> assertThat(table.route(n)).as("procedure %d", n).isPresent());
    }

    @Test
    void virshRebootAndResetAreRoutedAsMutations() {
        assertThat(table.route(27).orElseThrow().procedure()).isEqualTo(RemoteProcedures.DOMAIN_REBOOT);
        assertThat(table.route(245).orElseThrow().procedure()).isEqualTo(RemoteProcedures.DOMAIN_RESET);
        assertThat(table.route(27).orElseThrow().readOnlySafe()).isFalse();
        assertThat(table.route(245).orElseThrow().readOnlySafe()).isFalse();
    }

    @Test
    void routesAreDeclaredWithTheProcedureTheyServe() {
        table.routes().forEach((n, r) -> {
            assertThat(r.procedure().number()).isEqualTo(n);
            assertThat(RemoteProcedures.lookup(n)).isNotNull();
        });
    }

    @Test
    void onlyQueriesAreReadOnlySafe() {
        Map<Access, List<String>> byAccess = table.routes().values().stream()
                .collect(Collectors.groupingBy(
                        Route::access, Collectors.mapping(r -> r.procedure().name(), Collectors.toList())));
        assertThat(byAccess.get(Access.MUTATE))
                .contains(
                        "DOMAIN_CREATE",
                        "DOMAIN_CREATE_WITH_FLAGS",
                        "DOMAIN_DEFINE_XML",
                        "DOMAIN_UNDEFINE_FLAGS",
                        "DOMAIN_DESTROY",
                        "DOMAIN_SHUTDOWN",
                        "DOMAIN_SUSPEND",
                        "DOMAIN_RESUME",
                        "DOMAIN_SET_AUTOSTART",
                        "DOMAIN_SAVE",
                        "DOMAIN_RESTORE",
                        "DOMAIN_CORE_DUMP",
                        "DOMAIN_MANAGED_SAVE",
                        "DOMAIN_ABORT_JOB",
                        "DOMAIN_MIGRATE_SET_MAX_SPEED",
                        "DOMAIN_MIGRATE_PERFORM3_PARAMS",
                        "DOMAIN_MIGRATE_PREPARE3_PARAMS",
                        "DOMAIN_SAVE_IMAGE_GET_XML_DESC");
        assertThat(byAccess.get(Access.QUERY))
                .contains(
                        "CONNECT_OPEN",
                        "AUTH_LIST",
                        "CONNECT_LIST_ALL_DOMAINS",
                        "DOMAIN_LOOKUP_BY_NAME",
                        "DOMAIN_GET_INFO",
                        "DOMAIN_GET_STATE",
                        "DOMAIN_GET_XML_DESC",
                        "DOMAIN_GET_JOB_INFO",
                        "DOMAIN_GET_JOB_STATS",
                        "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY");
        assertThat(byAccess.get(Access.QUERY))
                .noneMatch(n -> n.matches(
                                ".*_(CREATE|DEFINE|UNDEFINE|DESTROY|SHUTDOWN|SUSPEND|RESUME|SET|SAVE|RESTORE|DUMP|ABORT|PERFORM|PREPARE|FINISH|CONFIRM|BEGIN)(_.*)?")
                        && !n.startsWith("DOMAIN_GET")
                        && !n.startsWith("DOMAIN_HAS")
                        && !n.endsWith("_GET_XML_DESC"));
    }

    @Test
    void refusalNamesTheApiAsLibvirtDoes() {
        Procedure<?, ?> p = RemoteProcedures.DOMAIN_UNDEFINE_FLAGS;
        assertThat(CallDispatcher.apiName(p.name())).isEqualTo("virDomainUndefineFlags");
        assertThat(CallDispatcher.apiName(RemoteProcedures.DOMAIN_DEFINE_XML.name()))
                .isEqualTo("virDomainDefineXML");
        assertThat(CallDispatcher.readOnlyRefusal(table.route(9).orElseThrow()).getMessage())
                .isEqualTo("operation forbidden: read only access prevents virDomainCreate");
    }
}

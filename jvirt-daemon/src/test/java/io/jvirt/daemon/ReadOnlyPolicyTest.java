package io.jvirt.daemon;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every procedure jvirtd serves carries a read-only decision, and that decision is libvirt's. libvirt refuses a
 * call on a read-only connection unless the permission its {@code remote_protocol.x} {@code @acl} annotation asks
 * for is one a read-only client holds (read, getattr, listing, or none); the table below copies those annotations
 * (up to procedure 347 checked against the file; the later ones are libvirt's for those APIs, and
 * {@code LibvirtReadOnlyParityIT} checks the outcome against libvirt 11.3's own library). A procedure routed without a row here fails {@link #everyRoutedProcedureHasADecision}: whoever adds
 * one must look up libvirt's annotation and decide.
 */
class ReadOnlyPolicyTest {
    /** The permissions a read-only client holds; any other (write, start, migrate, hibernate, …) refuses it. */
    private static final Set<String> READ_ONLY_PERMISSIONS = Set.of(
            "none", "connect:getattr", "connect:read", "connect:search_domains", "domain:getattr", "domain:read");

    /**
     * libvirt's unconditional {@code @acl} permissions per procedure. Flag-conditional ones (read_secure for
     * GetXMLDesc's SECURE and MIGRATABLE, the guest agent's source of InterfaceAddresses) are checked inside the
     * procedure, see {@link ReadOnlyFlags} and {@code ReadOnlyRefusalTest}.
     */
    private static final Map<String, String> LIBVIRT_ACL = Map.ofEntries(
            entry("AUTH_LIST", "none"),
            entry("CONNECT_OPEN", "connect:getattr"),
            entry("CONNECT_CLOSE", "none"),
            entry("CONNECT_GET_TYPE", "connect:getattr"),
            entry("CONNECT_GET_VERSION", "connect:getattr"),
            entry("CONNECT_GET_LIB_VERSION", "connect:getattr"),
            entry("CONNECT_GET_HOSTNAME", "connect:getattr"),
            entry("CONNECT_GET_URI", "connect:getattr"),
            entry("CONNECT_SUPPORTS_FEATURE", "connect:getattr"),
            entry("CONNECT_IS_SECURE", "none"),
            entry("CONNECT_GET_CAPABILITIES", "connect:read"),
            entry("NODE_GET_INFO", "connect:read"),
            entry("CONNECT_GET_ALL_DOMAIN_STATS", "connect:search_domains"),
            entry("DOMAIN_MEMORY_STATS", "domain:read"),
            entry("DOMAIN_SET_MEMORY_STATS_PERIOD", "domain:write"),
            entry("DOMAIN_GET_VCPUS", "domain:read"),
            entry("DOMAIN_GET_VCPU_PIN_INFO", "domain:read"),
            entry("DOMAIN_GET_CPU_STATS", "domain:read"),
            entry("DOMAIN_GET_CONTROL_INFO", "domain:read"),
            entry("DOMAIN_GET_SCHEDULER_TYPE", "domain:read"),
            entry("DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS", "domain:read"),
            entry("CONNECT_GET_MAX_VCPUS", "connect:read"),
            entry("NODE_GET_CELLS_FREE_MEMORY", "connect:read"),
            entry("NODE_GET_FREE_MEMORY", "connect:read"),
            entry("CONNECT_GET_SYSINFO", "connect:read"),
            entry("NODE_GET_CPU_STATS", "connect:read"),
            entry("NODE_GET_MEMORY_STATS", "connect:read"),
            entry("NODE_GET_CPU_MAP", "connect:read"),
            entry("CONNECT_GET_CPU_MODEL_NAMES", "connect:read"),
            entry("NODE_GET_SECURITY_MODEL", "connect:read"),
            entry("CONNECT_REGISTER_CLOSE_CALLBACK", "none"),
            entry("CONNECT_UNREGISTER_CLOSE_CALLBACK", "none"),
            entry("CONNECT_LIST_ALL_DOMAINS", "connect:search_domains"),
            entry("CONNECT_LIST_DOMAINS", "connect:search_domains"),
            entry("CONNECT_NUM_OF_DOMAINS", "connect:search_domains"),
            entry("CONNECT_LIST_DEFINED_DOMAINS", "connect:search_domains"),
            entry("CONNECT_NUM_OF_DEFINED_DOMAINS", "connect:search_domains"),
            entry("CONNECT_DOMAIN_EVENT_REGISTER_ANY", "connect:search_domains"),
            entry("CONNECT_DOMAIN_EVENT_DEREGISTER_ANY", "connect:read"),
            entry("CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY", "connect:search_domains"),
            entry("CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY", "connect:read"),
            entry("DOMAIN_LOOKUP_BY_ID", "domain:getattr"),
            entry("DOMAIN_LOOKUP_BY_NAME", "domain:getattr"),
            entry("DOMAIN_LOOKUP_BY_UUID", "domain:getattr"),
            entry("DOMAIN_GET_INFO", "domain:read"),
            entry("DOMAIN_GET_STATE", "domain:read"),
            entry("DOMAIN_GET_XML_DESC", "domain:read"),
            entry("DOMAIN_GET_OS_TYPE", "domain:read"),
            entry("DOMAIN_GET_MAX_MEMORY", "domain:read"),
            entry("DOMAIN_IS_ACTIVE", "domain:read"),
            entry("DOMAIN_IS_PERSISTENT", "domain:read"),
            entry("DOMAIN_GET_AUTOSTART", "domain:read"),
            entry("DOMAIN_GET_AUTOSTART_ONCE", "domain:read"),
            entry("DOMAIN_GET_SECURITY_LABEL", "domain:read"),
            entry("DOMAIN_GET_MESSAGES", "domain:read"),
            entry("DOMAIN_SNAPSHOT_NUM", "domain:read"),
            entry("DOMAIN_BLOCK_STATS", "domain:read"),
            entry("DOMAIN_BLOCK_STATS_FLAGS", "domain:read"),
            entry("DOMAIN_GET_BLOCK_INFO", "domain:read"),
            entry("DOMAIN_INTERFACE_STATS", "domain:read"),
            entry("DOMAIN_INTERFACE_ADDRESSES", "domain:read"),
            entry("DOMAIN_GET_JOB_INFO", "domain:read"),
            entry("DOMAIN_GET_JOB_STATS", "domain:read"),
            entry("DOMAIN_HAS_MANAGED_SAVE_IMAGE", "domain:read"),
            entry("DOMAIN_DEFINE_XML", "domain:write domain:save"),
            entry("DOMAIN_DEFINE_XML_FLAGS", "domain:write domain:save"),
            entry("DOMAIN_UNDEFINE", "domain:delete"),
            entry("DOMAIN_UNDEFINE_FLAGS", "domain:delete"),
            entry("DOMAIN_CREATE", "domain:start"),
            entry("DOMAIN_CREATE_WITH_FLAGS", "domain:start"),
            entry("DOMAIN_CREATE_XML", "domain:write domain:start"),
            entry("DOMAIN_DESTROY", "domain:stop"),
            entry("DOMAIN_DESTROY_FLAGS", "domain:stop"),
            entry("DOMAIN_SHUTDOWN", "domain:init_control"),
            entry("DOMAIN_SHUTDOWN_FLAGS", "domain:init_control"),
            entry("DOMAIN_REBOOT", "domain:init_control"),
            entry("DOMAIN_RESET", "domain:reset"),
            entry("DOMAIN_SUSPEND", "domain:suspend"),
            entry("DOMAIN_RESUME", "domain:suspend"),
            entry("DOMAIN_SET_AUTOSTART", "domain:write"),
            entry("DOMAIN_ATTACH_DEVICE", "domain:write"),
            entry("DOMAIN_ATTACH_DEVICE_FLAGS", "domain:write"),
            entry("DOMAIN_DETACH_DEVICE", "domain:write"),
            entry("DOMAIN_DETACH_DEVICE_FLAGS", "domain:write"),
            entry("DOMAIN_DETACH_DEVICE_ALIAS", "domain:write"),
            entry("DOMAIN_UPDATE_DEVICE_FLAGS", "domain:write"),
            entry("DOMAIN_ABORT_JOB", "domain:write"),
            entry("DOMAIN_ABORT_JOB_FLAGS", "domain:write"),
            entry("DOMAIN_SAVE", "domain:hibernate"),
            entry("DOMAIN_SAVE_FLAGS", "domain:hibernate"),
            entry("DOMAIN_SAVE_PARAMS", "domain:hibernate"),
            entry("DOMAIN_RESTORE", "domain:start domain:write"),
            entry("DOMAIN_RESTORE_FLAGS", "domain:start domain:write"),
            entry("DOMAIN_RESTORE_PARAMS", "domain:start domain:write"),
            entry("DOMAIN_SAVE_IMAGE_GET_XML_DESC", "domain:read"),
            entry("DOMAIN_SAVE_IMAGE_DEFINE_XML", "domain:write domain:hibernate"),
            entry("DOMAIN_MANAGED_SAVE", "domain:hibernate"),
            entry("DOMAIN_SET_MAX_MEMORY", "domain:write"),
            entry("DOMAIN_SET_MEMORY", "domain:write"),
            entry("DOMAIN_SET_MEMORY_FLAGS", "domain:write"),
            entry("DOMAIN_SET_VCPUS", "domain:write"),
            entry("DOMAIN_SET_VCPUS_FLAGS", "domain:write"),
            entry("DOMAIN_GET_VCPUS_FLAGS", "domain:read"),
            entry("DOMAIN_OPEN_CONSOLE", "domain:open_device"),
            entry("DOMAIN_SCREENSHOT", "domain:screenshot"),
            entry("DOMAIN_SEND_KEY", "domain:send_input"),
            entry("DOMAIN_GET_DISK_ERRORS", "domain:read"),
            entry("DOMAIN_SET_METADATA", "domain:write"),
            entry("DOMAIN_GET_METADATA", "domain:read"),
            entry("DOMAIN_GET_HOSTNAME", "domain:write"),
            entry("DOMAIN_GET_TIME", "domain:write"),
            entry("DOMAIN_SET_TIME", "domain:write"),
            entry("DOMAIN_RENAME", "domain:write domain:save"),
            entry("DOMAIN_MANAGED_SAVE_GET_XML_DESC", "domain:read"),
            entry("DOMAIN_MANAGED_SAVE_DEFINE_XML", "domain:write domain:hibernate"),
            entry("DOMAIN_MANAGED_SAVE_REMOVE", "domain:hibernate"),
            entry("DOMAIN_CORE_DUMP", "domain:core_dump"),
            entry("DOMAIN_CORE_DUMP_WITH_FORMAT", "domain:core_dump"),
            entry("DOMAIN_MIGRATE_SET_MAX_SPEED", "domain:migrate"),
            entry("DOMAIN_MIGRATE_GET_MAX_SPEED", "domain:migrate"),
            entry("DOMAIN_MIGRATE_SET_MAX_DOWNTIME", "domain:migrate"),
            entry("DOMAIN_MIGRATE_GET_MAX_DOWNTIME", "domain:migrate"),
            entry("DOMAIN_MIGRATE_START_POST_COPY", "domain:migrate"),
            entry("DOMAIN_MIGRATE_BEGIN3_PARAMS", "domain:migrate"),
            entry("DOMAIN_MIGRATE_PREPARE3_PARAMS", "domain:migrate domain:start domain:write"),
            entry("DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS", "domain:migrate domain:start domain:write"),
            entry("DOMAIN_MIGRATE_PERFORM3_PARAMS", "domain:migrate"),
            entry("DOMAIN_MIGRATE_FINISH3_PARAMS", "domain:migrate"),
            entry("DOMAIN_MIGRATE_CONFIRM3_PARAMS", "domain:migrate"),
            entry("DOMAIN_MIGRATE_PREPARE2", "domain:migrate domain:start domain:write"),
            entry("DOMAIN_MIGRATE_PREPARE_TUNNEL", "domain:migrate domain:start domain:write"),
            entry("DOMAIN_MIGRATE_PERFORM", "domain:migrate"),
            entry("DOMAIN_MIGRATE_FINISH2", "domain:migrate"));

    /**
     * Procedures whose libvirt API refuses read-only connections although their ACL asks only for read: the fixes of
     * CVE-2019-10161 ({@code virDomainSaveImageGetXMLDesc} opened any path the client named, with the daemon's
     * rights, so a read-only client could probe files).
     */
    private static final Set<String> READ_ONLY_CHECK_IN_API = Set.of("DOMAIN_SAVE_IMAGE_GET_XML_DESC");

    /**
     * Procedures libvirt lets read-only connections call although their ACL asks for more: its
     * {@code virDomainMigrateGetMaxDowntime} has no read-only check (libvirt 11.3's own library, see
     * {@code LibvirtReadOnlyParityIT}).
     */
    private static final Set<String> NO_READ_ONLY_CHECK_IN_API = Set.of("DOMAIN_MIGRATE_GET_MAX_DOWNTIME");

    private final DispatchTable table = DispatchTable.standard();

    private static boolean libvirtAllowsReadOnly(String procedure) {
        if (NO_READ_ONLY_CHECK_IN_API.contains(procedure)) {
            return true;
        }
        return !READ_ONLY_CHECK_IN_API.contains(procedure)
                && Arrays.stream(LIBVIRT_ACL.get(procedure).split(" ")).allMatch(READ_ONLY_PERMISSIONS::contains);
    }

    @Test
    void everyRoutedProcedureHasADecision() {
        Set<String> routed = table.routes().values().stream()
                .map(r -> r.procedure().name())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(routed)
                .as("procedures routed without a read-only decision in LIBVIRT_ACL")
                .isSubsetOf(LIBVIRT_ACL.keySet());
        assertThat(LIBVIRT_ACL.keySet())
                .as("decisions for procedures no longer routed")
                .isSubsetOf(routed);
    }

    @Test
    void readOnlyClientsMayCallExactlyWhatLibvirtLetsThem() {
        table.routes()
                .values()
                .forEach(r -> assertThat(r.readOnlySafe())
                        .as(
                                "%s (libvirt @acl %s)",
                                r.procedure().name(),
                                LIBVIRT_ACL.get(r.procedure().name()))
                        .isEqualTo(libvirtAllowsReadOnly(r.procedure().name())));
    }

    @Test
    void jvirtsOwnProceduresAreNeverReadOnly() {
        for (int n = 0; n < 64; n++) {
            table.jvirtRoute(n)
                    .ifPresent(r -> assertThat(r.readOnlySafe())
                            .as(r.procedure().name())
                            .isFalse());
        }
    }
}

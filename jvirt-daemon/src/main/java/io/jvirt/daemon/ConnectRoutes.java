package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.AUTH_LIST;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_CLOSE;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_CAPABILITIES;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_HOSTNAME;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_LIB_VERSION;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_TYPE;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_URI;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_GET_VERSION;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_IS_SECURE;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_LIST_ALL_DOMAINS;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_LIST_DEFINED_DOMAINS;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_LIST_DOMAINS;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_NUM_OF_DEFINED_DOMAINS;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_NUM_OF_DOMAINS;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_OPEN;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_REGISTER_CLOSE_CALLBACK;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_SUPPORTS_FEATURE;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_UNREGISTER_CLOSE_CALLBACK;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_INFO;
import static io.jvirt.rpc.proto.RemoteProcedures.NODE_GET_SECURITY_MODEL;

import io.jvirt.api.DomainRef;
import io.jvirt.api.DriverFeature;
import io.jvirt.api.ListFlags;
import io.jvirt.rpc.proto.ConnectWire.ListAllDomainsRet;
import io.jvirt.rpc.proto.ConnectWire.SecurityModel;
import java.util.List;

/** Connection-level procedures: open/close, host facts, features, domain listing. */
final class ConnectRoutes {
    /** {@code VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK}, {@code _CLOSE_CALLBACK}: the RPC layer answers these. */
    static final int REMOTE_EVENT_CALLBACK = 14;

    static final int REMOTE_CLOSE_CALLBACK = 15;

    private ConnectRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.query(AUTH_LIST, (c, v) -> List.of(0));
        t.query(CONNECT_OPEN, (c, a) -> {
            c.open(a.name(), a.flags());
            return null;
        });
        t.query(CONNECT_CLOSE, (c, v) -> {
            c.closeAfterReply();
            return null;
        });
        t.query(CONNECT_SUPPORTS_FEATURE, (c, f) -> supports(c, f) ? 1 : 0);
        t.query(CONNECT_REGISTER_CLOSE_CALLBACK, (c, v) -> null);
        t.query(CONNECT_UNREGISTER_CLOSE_CALLBACK, (c, v) -> null);
        t.query(CONNECT_GET_URI, (c, v) -> c.uri());
        t.query(CONNECT_GET_HOSTNAME, (c, v) -> c.driver().hostname());
        t.query(CONNECT_GET_TYPE, (c, v) -> c.driver().hypervisorType());
        t.query(CONNECT_GET_VERSION, (c, v) -> c.driver().hypervisorVersion());
        t.query(CONNECT_GET_LIB_VERSION, (c, v) -> c.driver().libVersion());
        t.query(CONNECT_IS_SECURE, (c, v) -> c.isSecure() ? 1 : 0);
        t.query(
                CONNECT_GET_CAPABILITIES,
                (c, v) -> HostInfo.capabilities(c.driver().hostUuid()));
        t.query(NODE_GET_INFO, (c, v) -> HostInfo.nodeInfo());
        // An empty model makes virsh dominfo skip the security lines (there is no security driver).
        t.query(NODE_GET_SECURITY_MODEL, (c, v) -> new SecurityModel("", ""));
        t.query(CONNECT_LIST_ALL_DOMAINS, (c, a) -> {
            List<DomainRef> doms = c.driver().listAllDomains(a.flags());
            return new ListAllDomainsRet(a.needResults() != 0 ? doms : List.of(), doms.size());
        });
        t.query(
                CONNECT_NUM_OF_DOMAINS,
                (c, v) -> c.driver().listAllDomains(ListFlags.ACTIVE).size());
        t.query(
                CONNECT_LIST_DOMAINS,
                (c, max) -> c.driver().listAllDomains(ListFlags.ACTIVE).stream()
                        .map(DomainRef::id)
                        .limit(Math.max(0, max))
                        .toList());
        t.query(
                CONNECT_NUM_OF_DEFINED_DOMAINS,
                (c, v) -> c.driver().listAllDomains(ListFlags.INACTIVE).size());
        t.query(
                CONNECT_LIST_DEFINED_DOMAINS,
                (c, max) -> c.driver().listAllDomains(ListFlags.INACTIVE).stream()
                        .map(DomainRef::name)
                        .limit(Math.max(0, max))
                        .toList());
    }

    /**
     * Features the RPC layer answers itself (keepalive, which also starts our PINGs; typed string params; event
     * and close callbacks), then the driver's (migration protocols; v3 and params not when the daemon poses as one
     * without v3). REMOTE asked of a server is 0, as libvirtd answers; fd passing is 0 because jvirtd's sockets do
     * not carry fds.
     */
    static boolean supports(ClientSession c, int feature) {
        return switch (feature) {
            case DriverFeature.PROGRAM_KEEPALIVE -> {
                c.startKeepalive();
                yield true;
            }
            case DriverFeature.TYPED_PARAM_STRING, REMOTE_EVENT_CALLBACK, REMOTE_CLOSE_CALLBACK -> true;
            case DriverFeature.REMOTE, DriverFeature.FD_PASSING -> false;
            case DriverFeature.MIGRATION_V3, DriverFeature.MIGRATION_PARAMS ->
                c.servesMigrationV3() && c.driver().supportsFeature(feature);
            default -> c.driver().supportsFeature(feature);
        };
    }
}

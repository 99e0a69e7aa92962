package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_DOMAIN_EVENT_DEREGISTER_ANY;
import static io.jvirt.rpc.proto.RemoteProcedures.CONNECT_DOMAIN_EVENT_REGISTER_ANY;

/** Event (de)registration: per client, allowed on read-only connections as libvirtd allows it. */
final class EventRoutes {
    private EventRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.query(CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, (c, a) -> c.events().register(a.eventId(), a.dom()));
        t.query(CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, (c, id) -> {
            c.events().deregister(id);
            return null;
        });
        t.query(CONNECT_DOMAIN_EVENT_REGISTER_ANY, (c, eventId) -> {
            c.events().registerLegacy(eventId);
            return null;
        });
        t.query(CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, (c, eventId) -> {
            c.events().deregisterLegacy(eventId);
            return null;
        });
    }
}

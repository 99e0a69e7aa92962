package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_CREATE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_CREATE_WITH_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_CREATE_XML;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DEFINE_XML;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DEFINE_XML_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DESTROY;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DESTROY_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_AUTOSTART;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_AUTOSTART_ONCE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_INFO;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_MAX_MEMORY;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_MESSAGES;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_OS_TYPE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_SECURITY_LABEL;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_STATE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_XML_DESC;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_IS_ACTIVE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_IS_PERSISTENT;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_LOOKUP_BY_ID;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_LOOKUP_BY_NAME;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_LOOKUP_BY_UUID;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_REBOOT;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_RESET;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_RESUME;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SET_AUTOSTART;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SHUTDOWN;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SHUTDOWN_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SNAPSHOT_NUM;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_SUSPEND;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_UNDEFINE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_UNDEFINE_FLAGS;

import io.jvirt.api.DomainInfo;
import io.jvirt.api.DomainStatus;
import io.jvirt.rpc.proto.DomainWire.InfoRet;
import io.jvirt.rpc.proto.DomainWire.SecurityLabel;
import io.jvirt.rpc.proto.DomainWire.StateRet;
import java.util.List;

/** Domain lookup, inspection and lifecycle procedures. */
final class DomainRoutes {
    private DomainRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.query(DOMAIN_LOOKUP_BY_NAME, (c, name) -> c.driver().lookupByName(name));
        t.query(DOMAIN_LOOKUP_BY_UUID, (c, uuid) -> c.driver().lookupByUuid(uuid));
        t.query(DOMAIN_LOOKUP_BY_ID, (c, id) -> c.driver().lookupById(id));
        t.query(DOMAIN_GET_INFO, (c, d) -> info(c.driver().info(d)));
        t.query(DOMAIN_GET_STATE, (c, a) -> state(c.driver().state(a.dom())));
        t.query(DOMAIN_GET_XML_DESC, (c, a) -> {
            ReadOnlyFlags.checkXmlDesc(c, a.flags());
            return c.driver().xmlDesc(a.dom(), a.flags());
        });
        t.query(DOMAIN_GET_OS_TYPE, (c, d) -> "hvm");
        t.query(DOMAIN_GET_MAX_MEMORY, (c, d) -> c.driver().info(d).maxMemKiB());
        t.query(DOMAIN_IS_ACTIVE, (c, d) -> c.driver().isActive(d) ? 1 : 0);
        t.query(DOMAIN_IS_PERSISTENT, (c, d) -> c.driver().isPersistent(d) ? 1 : 0);
        t.query(DOMAIN_GET_AUTOSTART, (c, d) -> c.driver().autostart(d) ? 1 : 0);
        // jvirt has no autostart-once; virsh 11.3 dominfo asks for it and prints "no".
        t.query(DOMAIN_GET_AUTOSTART_ONCE, (c, d) -> {
            c.driver().lookupByUuid(d.uuid());
            return 0;
        });
        t.query(DOMAIN_GET_SECURITY_LABEL, (c, d) -> new SecurityLabel("", 0));
        t.query(DOMAIN_GET_MESSAGES, (c, a) -> List.of());
        t.query(DOMAIN_SNAPSHOT_NUM, (c, a) -> 0);

        t.mutate(DOMAIN_DEFINE_XML, (c, xml) -> c.driver().defineXml(xml));
        t.mutate(DOMAIN_DEFINE_XML_FLAGS, (c, a) -> c.driver().defineXml(a.xml()));
        t.mutate(DOMAIN_UNDEFINE, (c, d) -> {
            c.driver().undefine(d, 0);
            return null;
        });
        t.mutate(DOMAIN_UNDEFINE_FLAGS, (c, a) -> {
            c.driver().undefine(a.dom(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_CREATE, (c, d) -> {
            c.driver().create(d, 0);
            return null;
        });
        t.mutate(DOMAIN_CREATE_WITH_FLAGS, (c, a) -> {
            c.driver().create(a.dom(), a.flags());
            return c.driver().lookupByUuid(a.dom().uuid());
        });
        t.mutate(DOMAIN_CREATE_XML, (c, a) -> c.driver().createXml(a.xml(), a.flags()));
        t.mutate(DOMAIN_DESTROY, (c, d) -> {
            c.driver().destroy(d, 0);
            return null;
        });
        t.mutate(DOMAIN_DESTROY_FLAGS, (c, a) -> {
            c.driver().destroy(a.dom(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_SHUTDOWN, (c, d) -> {
            c.driver().shutdown(d, 0);
            return null;
        });
        t.mutate(DOMAIN_SHUTDOWN_FLAGS, (c, a) -> {
            c.driver().shutdown(a.dom(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_REBOOT, (c, a) -> {
            c.driver().reboot(a.dom(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_RESET, (c, a) -> {
            c.driver().reset(a.dom(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_SUSPEND, (c, d) -> {
            c.driver().suspend(d);
            return null;
        });
        t.mutate(DOMAIN_RESUME, (c, d) -> {
            c.driver().resume(d);
            return null;
        });
        t.mutate(DOMAIN_SET_AUTOSTART, (c, a) -> {
            c.driver().setAutostart(a.dom(), a.value() != 0);
            return null;
        });
    }

    static InfoRet info(DomainInfo i) {
        return new InfoRet(i.state().wire(), i.maxMemKiB(), i.memoryKiB(), i.vcpus(), i.cpuTimeNs());
    }

    static StateRet state(DomainStatus s) {
        return new StateRet(s.state().wire(), s.reason().wire());
    }
}

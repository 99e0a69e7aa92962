package io.jvirt.daemon;

import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_GET_DISK_ERRORS;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_GET_HOSTNAME;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_GET_METADATA;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_GET_TIME;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_GET_VCPUS_FLAGS;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_MANAGED_SAVE_DEFINE_XML;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_MANAGED_SAVE_GET_XML_DESC;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_OPEN_CONSOLE;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_RENAME;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SCREENSHOT;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SEND_KEY;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SET_MAX_MEMORY;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SET_MEMORY;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SET_MEMORY_FLAGS;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SET_METADATA;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SET_TIME;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SET_VCPUS;
import static io.jvirt.rpc.proto.DailyProcedures.DOMAIN_SET_VCPUS_FLAGS;
import static io.jvirt.rpc.proto.DailyProcedures.QEMU_AGENT_COMMAND;
import static io.jvirt.rpc.proto.DailyProcedures.QEMU_MONITOR_COMMAND;

import io.jvirt.api.DailyFlags;
import io.jvirt.rpc.proto.DailyWire;
import io.jvirt.rpc.proto.DailyWire.DiskError;
import io.jvirt.rpc.proto.DailyWire.DiskErrorsRet;
import io.jvirt.rpc.proto.DailyWire.TimeRet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * virsh's everyday commands: console (a two-way stream), setmem/setmaxmem, setvcpus/vcpucount, send-key,
 * screenshot (a read stream), domrename, desc/metadata, domtime, domblkerror, domhostname, and the QEMU program's
 * monitor and agent commands. What changes the guest, or opens a device, is refused to read-only clients as
 * libvirt's ACLs refuse it.
 */
final class DailyRoutes {
    private DailyRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.mutate(DOMAIN_OPEN_CONSOLE, (c, a) -> {
            // The client's keystrokes arrive on the call's stream; the terminal's output goes back on it.
            IncomingStream keys = c.openStream();
            c.driver().openConsole(a.dom(), a.text(), keys, c.repliesOn(keys), a.flags());
            return null;
        });
        t.mutate(DOMAIN_SCREENSHOT, (c, a) -> {
            IncomingStream finish = c.openStream();
            return c.driver()
                    .screenshot(a.dom(), a.value(), new ReadStreamSink(finish, c.repliesOn(finish)), a.flags());
        });

        t.mutate(DOMAIN_SET_MEMORY, (c, a) -> {
            c.driver().setMemory(a.dom(), a.memoryKiB(), DailyFlags.LIVE);
            return null;
        });
        t.mutate(DOMAIN_SET_MAX_MEMORY, (c, a) -> {
            c.driver().setMemory(a.dom(), a.memoryKiB(), DailyFlags.CURRENT | DailyFlags.MEM_MAXIMUM);
            return null;
        });
        t.mutate(DOMAIN_SET_MEMORY_FLAGS, (c, a) -> {
            c.driver().setMemory(a.dom(), a.value(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_SET_VCPUS, (c, a) -> {
            c.driver().setVcpus(a.dom(), a.value(), DailyFlags.LIVE);
            return null;
        });
        t.mutate(DOMAIN_SET_VCPUS_FLAGS, (c, a) -> {
            c.driver().setVcpus(a.dom(), a.value(), a.flags());
            return null;
        });
        t.query(DOMAIN_GET_VCPUS_FLAGS, (c, a) -> c.driver().vcpus(a.dom(), a.flags()));
        t.mutate(DOMAIN_SEND_KEY, (c, a) -> {
            c.driver().sendKey(a.dom(), a.codeset(), a.holdtime(), a.keycodes(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_RENAME, (c, a) -> {
            c.driver().rename(a.dom(), a.text(), a.flags());
            return 0;
        });
        t.mutate(DOMAIN_SET_METADATA, (c, a) -> {
            c.driver().setMetadata(a.dom(), a.type(), a.metadata(), a.key(), a.uri(), a.flags());
            return null;
        });
        t.query(DOMAIN_GET_METADATA, (c, a) -> c.driver().metadata(a.dom(), a.type(), a.uri(), a.flags()));
        t.mutate(DOMAIN_GET_TIME, (c, a) -> {
            long[] time = c.driver().guestTime(a.dom(), a.flags());
            return new TimeRet(time[0], (int) time[1]);
        });
        t.mutate(DOMAIN_SET_TIME, (c, a) -> {
            c.driver().setGuestTime(a.dom(), a.seconds(), a.nseconds(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_GET_HOSTNAME, (c, a) -> c.driver().guestHostname(a.dom(), a.flags()));
        t.query(DOMAIN_MANAGED_SAVE_GET_XML_DESC, (c, a) -> {
            ReadOnlyFlags.checkXmlDesc(c, a.flags());
            return c.driver().managedSaveXml(a.dom(), a.flags());
        });
        t.mutate(DOMAIN_MANAGED_SAVE_DEFINE_XML, (c, a) -> {
            c.driver().managedSaveDefineXml(a.dom(), a.text(), a.flags());
            return null;
        });
        t.query(DOMAIN_GET_DISK_ERRORS, (c, a) -> diskErrors(c.driver().diskErrors(a.dom(), a.flags()), a.value()));

        t.qemu(QEMU_MONITOR_COMMAND, (c, a) -> c.driver().qemuMonitorCommand(a.dom(), a.cmd(), a.flags()));
        t.qemu(QEMU_AGENT_COMMAND, (c, a) -> c.driver().qemuAgentCommand(a.dom(), a.cmd(), a.timeout(), a.flags()));
    }

    /**
     * libvirtd's answer to GET_DISK_ERRORS: with maxerrors 0 only the count, else up to maxerrors of them (more than
     * the protocol's limit is an error).
     */
    static DiskErrorsRet diskErrors(Map<String, Integer> errors, int maxerrors) {
        if (Integer.compareUnsigned(maxerrors, DailyWire.DISK_ERRORS_MAX) > 0) {
            throw io.jvirt.api.VirtException.of(
                    io.jvirt.api.ErrorCode.RPC, io.jvirt.api.ErrorDomain.RPC, "maxerrors too large");
        }
        List<DiskError> list = new ArrayList<>();
        if (maxerrors > 0) {
            errors.entrySet().stream().limit(maxerrors).forEach(e -> list.add(new DiskError(e.getKey(), e.getValue())));
        }
        return new DiskErrorsRet(list, maxerrors == 0 ? errors.size() : list.size());
    }
}

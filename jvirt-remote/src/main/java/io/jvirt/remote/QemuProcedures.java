package io.jvirt.remote;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.proto.RemoteTypes;
import io.jvirt.rpc.xdr.XdrCodec;

/**
 * The QEMU program's procedures, which jvirt-rpc's REMOTE table does not declare: the monitor command. Wire
 * layout from libvirt's qemu_protocol.x.
 */
final class QemuProcedures {
    private QemuProcedures() {}

    /** {@code QEMU_PROC_DOMAIN_MONITOR_COMMAND} of {@link io.jvirt.rpc.wire.Program#QEMU}. */
    static final int DOMAIN_MONITOR_COMMAND = 1;

    /** {@code qemu_domain_monitor_command_args}; its ret is one non-null string. */
    record MonitorCommandArgs(DomainRef dom, String cmd, int flags) {
        static final XdrCodec<MonitorCommandArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    RemoteTypes.DOMAIN.encode(out, v.dom);
                    RemoteTypes.STRING.encode(out, v.cmd);
                    out.writeInt(v.flags);
                },
                in -> new MonitorCommandArgs(
                        RemoteTypes.DOMAIN.decode(in), RemoteTypes.STRING.decode(in), in.readInt()));
    }
}

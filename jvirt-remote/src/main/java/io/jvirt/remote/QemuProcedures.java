package io.jvirt.remote;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.proto.RemoteTypes;
import io.jvirt.rpc.xdr.XdrCodec;

/**
 * Procedures jvirt-rpc's table does not declare: the QEMU program's monitor command and two REMOTE calls
 * (reboot, reset). Wire layouts from libvirt's qemu_protocol.x and remote_protocol.x.
 */
final class QemuProcedures {
    private QemuProcedures() {
    }

    /** {@code QEMU_PROC_DOMAIN_MONITOR_COMMAND} of {@link io.jvirt.rpc.wire.Program#QEMU}. */
    static final int DOMAIN_MONITOR_COMMAND = 1;
    /** {@code REMOTE_PROC_DOMAIN_REBOOT}: dom, flags. */
    static final int DOMAIN_REBOOT = 27;
    /** {@code REMOTE_PROC_DOMAIN_RESET}: dom, flags. */
    static final int DOMAIN_RESET = 245;

    /** {@code qemu_domain_monitor_command_args}; its ret is one non-null string. */
    record MonitorCommandArgs(DomainRef dom, String cmd, int flags) {
        static final XdrCodec<MonitorCommandArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    RemoteTypes.DOMAIN.encode(out, v.dom);
                    RemoteTypes.STRING.encode(out, v.cmd);
                    out.writeInt(v.flags);
                },
                in -> new MonitorCommandArgs(RemoteTypes.DOMAIN.decode(in), RemoteTypes.STRING.decode(in),
                        in.readInt()));
    }
}

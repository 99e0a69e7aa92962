package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.INT;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;
import static io.jvirt.rpc.proto.RemoteTypes.VOID;

import io.jvirt.rpc.proto.DailyWire.DiskErrorsRet;
import io.jvirt.rpc.proto.DailyWire.DomainMemory;
import io.jvirt.rpc.proto.DailyWire.DomainOptionalString;
import io.jvirt.rpc.proto.DailyWire.DomainUintFlags;
import io.jvirt.rpc.proto.DailyWire.GetMetadataArgs;
import io.jvirt.rpc.proto.DailyWire.MonitorCommandArgs;
import io.jvirt.rpc.proto.DailyWire.SendKeyArgs;
import io.jvirt.rpc.proto.DailyWire.SetMetadataArgs;
import io.jvirt.rpc.proto.DailyWire.SetTimeArgs;
import io.jvirt.rpc.proto.DailyWire.TimeRet;
import io.jvirt.rpc.proto.DomainWire.DomainFlags;
import io.jvirt.rpc.proto.DomainWire.DomainHyperFlags;
import io.jvirt.rpc.proto.DomainWire.DomainInt;
import io.jvirt.rpc.proto.Procedure.Kind;
import io.jvirt.rpc.proto.Procedure.Priority;
import io.jvirt.rpc.xdr.XdrCodec;

/**
 * The procedures behind virsh's everyday commands (console, setmem, setvcpus, send-key, screenshot, domrename,
 * desc/metadata, domtime, domblkerror, domhostname, qemu-monitor-command, qemu-agent-command). Numbers and
 * priorities from libvirt 11.3's {@code remote_protocol.x} and {@code qemu_protocol.x}; the QEMU program's ones
 * are under {@link #QEMU_MONITOR_COMMAND} and {@link #QEMU_AGENT_COMMAND}.
 */
public final class DailyProcedures {
    private DailyProcedures() {}

    public static final Procedure<DomainMemory, Void> DOMAIN_SET_MAX_MEMORY =
            call(30, "DOMAIN_SET_MAX_MEMORY", Priority.HIGH, DomainMemory.CODEC, VOID);
    public static final Procedure<DomainMemory, Void> DOMAIN_SET_MEMORY =
            call(31, "DOMAIN_SET_MEMORY", Priority.LOW, DomainMemory.CODEC, VOID);
    /** Args: dom, nvcpus. */
    public static final Procedure<DomainInt, Void> DOMAIN_SET_VCPUS =
            call(32, "DOMAIN_SET_VCPUS", Priority.LOW, DomainInt.CODEC, VOID);
    /** Args: dom, nvcpus, flags. */
    public static final Procedure<DomainUintFlags, Void> DOMAIN_SET_VCPUS_FLAGS =
            call(199, "DOMAIN_SET_VCPUS_FLAGS", Priority.LOW, DomainUintFlags.CODEC, VOID);

    public static final Procedure<DomainFlags, Integer> DOMAIN_GET_VCPUS_FLAGS =
            call(200, "DOMAIN_GET_VCPUS_FLAGS", Priority.LOW, DomainFlags.CODEC, INT);
    /** Server-to-client stream of the terminal's output; the client's keystrokes come in the same stream. */
    public static final Procedure<DomainOptionalString, Void> DOMAIN_OPEN_CONSOLE = new Procedure<>(
            201, "DOMAIN_OPEN_CONSOLE", Priority.LOW, Kind.CALL_READ_STREAM, DomainOptionalString.CODEC, VOID);
    /** Args: dom, memory (KiB), flags. */
    public static final Procedure<DomainHyperFlags, Void> DOMAIN_SET_MEMORY_FLAGS =
            call(204, "DOMAIN_SET_MEMORY_FLAGS", Priority.LOW, DomainHyperFlags.CODEC, VOID);
    /** Args: dom, screen, flags; ret the image's MIME type, the image following in the stream. */
    public static final Procedure<DomainUintFlags, String> DOMAIN_SCREENSHOT = new Procedure<>(
            211, "DOMAIN_SCREENSHOT", Priority.LOW, Kind.CALL_READ_STREAM, DomainUintFlags.CODEC, OPTIONAL_STRING);

    public static final Procedure<SendKeyArgs, Void> DOMAIN_SEND_KEY =
            call(226, "DOMAIN_SEND_KEY", Priority.LOW, SendKeyArgs.CODEC, VOID);
    /** Args: dom, maxerrors, flags. */
    public static final Procedure<DomainUintFlags, DiskErrorsRet> DOMAIN_GET_DISK_ERRORS =
            call(263, "DOMAIN_GET_DISK_ERRORS", Priority.LOW, DomainUintFlags.CODEC, DiskErrorsRet.CODEC);

    public static final Procedure<SetMetadataArgs, Void> DOMAIN_SET_METADATA =
            call(264, "DOMAIN_SET_METADATA", Priority.LOW, SetMetadataArgs.CODEC, VOID);
    public static final Procedure<GetMetadataArgs, String> DOMAIN_GET_METADATA =
            call(265, "DOMAIN_GET_METADATA", Priority.LOW, GetMetadataArgs.CODEC, STRING);
    public static final Procedure<DomainFlags, String> DOMAIN_GET_HOSTNAME =
            call(277, "DOMAIN_GET_HOSTNAME", Priority.LOW, DomainFlags.CODEC, STRING);
    public static final Procedure<DomainFlags, TimeRet> DOMAIN_GET_TIME =
            call(337, "DOMAIN_GET_TIME", Priority.LOW, DomainFlags.CODEC, TimeRet.CODEC);
    public static final Procedure<SetTimeArgs, Void> DOMAIN_SET_TIME =
            call(338, "DOMAIN_SET_TIME", Priority.LOW, SetTimeArgs.CODEC, VOID);
    /** Ret: retcode. */
    public static final Procedure<DomainOptionalString, Integer> DOMAIN_RENAME =
            call(358, "DOMAIN_RENAME", Priority.LOW, DomainOptionalString.CODEC, INT);

    public static final Procedure<DomainFlags, String> DOMAIN_MANAGED_SAVE_GET_XML_DESC =
            call(388, "DOMAIN_MANAGED_SAVE_GET_XML_DESC", Priority.LOW, DomainFlags.CODEC, STRING);
    /** Args: dom, dxml (remote_string), flags. */
    public static final Procedure<DomainOptionalString, Void> DOMAIN_MANAGED_SAVE_DEFINE_XML =
            call(389, "DOMAIN_MANAGED_SAVE_DEFINE_XML", Priority.LOW, DomainOptionalString.CODEC, VOID);

    /** {@code QEMU_PROC_DOMAIN_MONITOR_COMMAND} of the QEMU program; ret the monitor's answer. */
    public static final Procedure<MonitorCommandArgs, String> QEMU_MONITOR_COMMAND =
            call(1, "DOMAIN_MONITOR_COMMAND", Priority.LOW, MonitorCommandArgs.CODEC, STRING);
    /** {@code QEMU_PROC_DOMAIN_AGENT_COMMAND} of the QEMU program; ret the agent's answer or null. */
    public static final Procedure<AgentCommandArgs, String> QEMU_AGENT_COMMAND =
            call(3, "DOMAIN_AGENT_COMMAND", Priority.LOW, AgentCommandArgs.CODEC, OPTIONAL_STRING);

    /** {@code qemu_domain_agent_command_args}: dom, cmd, timeout (seconds, or a negative special value), flags. */
    public record AgentCommandArgs(io.jvirt.api.DomainRef dom, String cmd, int timeout, int flags) {
        public static final XdrCodec<AgentCommandArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    RemoteTypes.DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.cmd);
                    out.writeInt(v.timeout);
                    out.writeInt(v.flags);
                },
                in -> new AgentCommandArgs(
                        RemoteTypes.DOMAIN.decode(in), STRING.decode(in), in.readInt(), in.readInt()));
    }

    private static <A, R> Procedure<A, R> call(
            int number, String name, Priority priority, XdrCodec<A> args, XdrCodec<R> ret) {
        return new Procedure<>(number, name, priority, Kind.CALL, args, ret);
    }
}

package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrCodecs;
import java.util.List;

/**
 * Structs of {@code remote_protocol.x} (and {@code qemu_protocol.x}) for virsh's everyday commands: console,
 * memory and vCPU changes, keys, screenshots, rename, metadata, time and disk errors. Fields in wire order.
 */
public final class DailyWire {
    private DailyWire() {}

    /** {@code REMOTE_DOMAIN_SEND_KEY_MAX}. */
    public static final int SEND_KEY_MAX = 16;
    /** {@code REMOTE_DOMAIN_DISK_ERRORS_MAX}. */
    public static final int DISK_ERRORS_MAX = 256;

    /**
     * {@code { dom; remote_string text; unsigned int flags; }}: open_console (device name), rename (new name),
     * managed_save_define_xml (the XML).
     */
    public record DomainOptionalString(DomainRef dom, String text, int flags) {
        public static final XdrCodec<DomainOptionalString> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    OPTIONAL_STRING.encode(out, v.text);
                    out.writeInt(v.flags);
                },
                in -> new DomainOptionalString(DOMAIN.decode(in), OPTIONAL_STRING.decode(in), in.readInt()));
    }

    /** {@code { dom; unsigned hyper memory; }}: set_memory and set_max_memory, in KiB. */
    public record DomainMemory(DomainRef dom, long memoryKiB) {
        public static final XdrCodec<DomainMemory> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeHyper(v.memoryKiB);
                },
                in -> new DomainMemory(DOMAIN.decode(in), in.readHyper()));
    }

    /** {@code { dom; unsigned int value; unsigned int flags; }}: set_vcpus_flags, screenshot (screen). */
    public record DomainUintFlags(DomainRef dom, int value, int flags) {
        public static final XdrCodec<DomainUintFlags> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.value);
                    out.writeInt(v.flags);
                },
                in -> new DomainUintFlags(DOMAIN.decode(in), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_send_key_args}: at most {@link #SEND_KEY_MAX} keycodes. */
    public record SendKeyArgs(DomainRef dom, int codeset, int holdtime, List<Integer> keycodes, int flags) {
        private static final XdrCodec<List<Integer>> KEYCODES = XdrCodecs.INT.list(SEND_KEY_MAX);
        public static final XdrCodec<SendKeyArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.codeset);
                    out.writeInt(v.holdtime);
                    KEYCODES.encode(out, v.keycodes);
                    out.writeInt(v.flags);
                },
                in -> new SendKeyArgs(
                        DOMAIN.decode(in), in.readInt(), in.readInt(), KEYCODES.decode(in), in.readInt()));
    }

    /** {@code remote_domain_set_metadata_args}: type is a {@code virDomainMetadataType}. */
    public record SetMetadataArgs(DomainRef dom, int type, String metadata, String key, String uri, int flags) {
        public static final XdrCodec<SetMetadataArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.type);
                    OPTIONAL_STRING.encode(out, v.metadata);
                    OPTIONAL_STRING.encode(out, v.key);
                    OPTIONAL_STRING.encode(out, v.uri);
                    out.writeInt(v.flags);
                },
                in -> new SetMetadataArgs(
                        DOMAIN.decode(in),
                        in.readInt(),
                        OPTIONAL_STRING.decode(in),
                        OPTIONAL_STRING.decode(in),
                        OPTIONAL_STRING.decode(in),
                        in.readInt()));
    }

    /** {@code remote_domain_get_metadata_args}. */
    public record GetMetadataArgs(DomainRef dom, int type, String uri, int flags) {
        public static final XdrCodec<GetMetadataArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeInt(v.type);
                    OPTIONAL_STRING.encode(out, v.uri);
                    out.writeInt(v.flags);
                },
                in -> new GetMetadataArgs(DOMAIN.decode(in), in.readInt(), OPTIONAL_STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_get_time_ret} (and set_time's args after dom). */
    public record TimeRet(long seconds, int nseconds) {
        public static final XdrCodec<TimeRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeHyper(v.seconds);
                    out.writeInt(v.nseconds);
                },
                in -> new TimeRet(in.readHyper(), in.readInt()));
    }

    /** {@code remote_domain_set_time_args}. */
    public record SetTimeArgs(DomainRef dom, long seconds, int nseconds, int flags) {
        public static final XdrCodec<SetTimeArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    out.writeHyper(v.seconds);
                    out.writeInt(v.nseconds);
                    out.writeInt(v.flags);
                },
                in -> new SetTimeArgs(DOMAIN.decode(in), in.readHyper(), in.readInt(), in.readInt()));
    }

    /** {@code remote_domain_disk_error}: a disk and its {@code virDomainDiskErrorCode}. */
    public record DiskError(String disk, int error) {
        public static final XdrCodec<DiskError> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.disk);
                    out.writeInt(v.error);
                },
                in -> new DiskError(STRING.decode(in), in.readInt()));
    }

    /** {@code remote_domain_get_disk_errors_ret}: the errors, and how many there are in all. */
    public record DiskErrorsRet(List<DiskError> errors, int nerrors) {
        private static final XdrCodec<List<DiskError>> ERRORS = DiskError.CODEC.list(DISK_ERRORS_MAX);
        public static final XdrCodec<DiskErrorsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    ERRORS.encode(out, v.errors);
                    out.writeInt(v.nerrors);
                },
                in -> new DiskErrorsRet(ERRORS.decode(in), in.readInt()));
    }

    /** {@code qemu_domain_monitor_command_args} of the QEMU program. */
    public record MonitorCommandArgs(DomainRef dom, String cmd, int flags) {
        public static final XdrCodec<MonitorCommandArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAIN.encode(out, v.dom);
                    STRING.encode(out, v.cmd);
                    out.writeInt(v.flags);
                },
                in -> new MonitorCommandArgs(DOMAIN.decode(in), STRING.decode(in), in.readInt()));
    }
}

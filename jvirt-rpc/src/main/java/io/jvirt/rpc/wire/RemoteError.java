package io.jvirt.rpc.wire;

import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.ErrorLevel;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.wire.NetTypes.NetworkRef;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;

/**
 * {@code remote_error} (same layout as {@code virNetMessageError}), field for field in wire order, numbers kept
 * raw so nothing is lost in transit. {@code message}, {@code dom}, {@code str1..3} and {@code net} may be null
 * (absent on the wire). libvirt fills {@code int1}/{@code int2} with -1 when unused and never sets dom or net.
 */
public record RemoteError(
        int code,
        int domain,
        String message,
        int level,
        DomainRef dom,
        String str1,
        String str2,
        String str3,
        int int1,
        int int2,
        NetworkRef net) {

    /** The payload of an error reply or of a STREAM/ERROR packet. */
    public static final XdrCodec<RemoteError> CODEC = XdrCodec.of(RemoteError::encode, RemoteError::decode);

    private static final String UNKNOWN_PROCEDURE = "unknown procedure";

    /** The error for a {@link VirtException}: its code, domain, level and full message. */
    public static RemoteError from(VirtException e) {
        return new RemoteError(
                e.code().wire(),
                e.domain().wire(),
                e.getMessage(),
                e.level().wire(),
                null,
                null,
                null,
                null,
                -1,
                -1,
                null);
    }

    /** What libvirtd answers for a procedure number its program does not have. */
    public static RemoteError unknownProcedure(int procedure) {
        return rpc(UNKNOWN_PROCEDURE + ": " + procedure);
    }

    /** What libvirtd answers for a call to a program or version it does not serve. */
    public static RemoteError unknownProgram(int program, int version) {
        return rpc("Cannot find program " + program + " version " + version);
    }

    /** A VIR_ERR_RPC error from the RPC domain, as libvirt's RPC layer reports its own failures. */
    public static RemoteError rpc(String message) {
        return new RemoteError(
                ErrorCode.RPC.wire(),
                ErrorDomain.RPC.wire(),
                message,
                ErrorLevel.ERROR.wire(),
                null,
                null,
                null,
                null,
                -1,
                -1,
                null);
    }

    /**
     * The exception a caller sees, with the message as sent. Note {@link ErrorCode#fromWire} maps numbers
     * jvirt-api does not list to INTERNAL_ERROR.
     */
    public VirtException toException() {
        return new VirtException(
                ErrorCode.fromWire(code),
                ErrorDomain.fromWire(domain),
                ErrorLevel.fromWire(level),
                message == null ? "" : message,
                null);
    }

    /**
     * As the libvirt client library presents it: an RPC or REMOTE-domain VIR_ERR_RPC whose message starts
     * with "unknown procedure" becomes VIR_ERR_NO_SUPPORT, which callers such as virsh fall back on.
     */
    public VirtException toClientException() {
        boolean fromRpc = domain == ErrorDomain.RPC.wire() || domain == ErrorDomain.REMOTE.wire();
        if (fromRpc
                && code == ErrorCode.RPC.wire()
                && level == ErrorLevel.ERROR.wire()
                && message != null
                && message.startsWith(UNKNOWN_PROCEDURE)) {
            return new VirtException(
                    ErrorCode.NO_SUPPORT, ErrorDomain.fromWire(domain), ErrorLevel.ERROR, message, null);
        }
        return toException();
    }

    private static void encode(XdrWriter out, RemoteError e) {
        out.writeInt(e.code);
        out.writeInt(e.domain);
        NetTypes.OPTIONAL_STRING.encode(out, e.message);
        out.writeInt(e.level);
        NetTypes.OPTIONAL_DOMAIN.encode(out, e.dom);
        NetTypes.OPTIONAL_STRING.encode(out, e.str1);
        NetTypes.OPTIONAL_STRING.encode(out, e.str2);
        NetTypes.OPTIONAL_STRING.encode(out, e.str3);
        out.writeInt(e.int1);
        out.writeInt(e.int2);
        out.writeOptional(e.net, NetTypes.NETWORK);
    }

    private static RemoteError decode(XdrReader in) {
        return new RemoteError(
                in.readInt(),
                in.readInt(),
                NetTypes.OPTIONAL_STRING.decode(in),
                in.readInt(),
                NetTypes.OPTIONAL_DOMAIN.decode(in),
                NetTypes.OPTIONAL_STRING.decode(in),
                NetTypes.OPTIONAL_STRING.decode(in),
                NetTypes.OPTIONAL_STRING.decode(in),
                in.readInt(),
                in.readInt(),
                in.readOptional(NetTypes.NETWORK));
    }
}

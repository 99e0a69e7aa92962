package io.jvirt.rpc.proto;

import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.wire.NetTypes;
import io.jvirt.rpc.xdr.TypedParamCodec;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrCodecs;
import io.jvirt.rpc.xdr.XdrException;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Codecs for the typedefs of {@code remote_protocol.x} that procedure structs are built from. */
public final class RemoteTypes {
    private RemoteTypes() {}

    public static final XdrCodec<Void> VOID = XdrCodecs.VOID;
    public static final XdrCodec<Integer> INT = XdrCodecs.INT;
    public static final XdrCodec<Long> HYPER = XdrCodecs.HYPER;
    /** {@code remote_nonnull_string}. */
    public static final XdrCodec<String> STRING = NetTypes.STRING;
    /** {@code remote_string}: null when absent. */
    public static final XdrCodec<String> OPTIONAL_STRING = NetTypes.OPTIONAL_STRING;

    public static final XdrCodec<UUID> UUID_CODEC = NetTypes.UUID_CODEC;
    /** {@code remote_nonnull_domain}. */
    public static final XdrCodec<DomainRef> DOMAIN = NetTypes.DOMAIN;
    /** {@code remote_domain}: null when absent. */
    public static final XdrCodec<DomainRef> OPTIONAL_DOMAIN = NetTypes.OPTIONAL_DOMAIN;
    /** {@code opaque cookie<REMOTE_MIGRATE_COOKIE_MAX>}. */
    public static final XdrCodec<Cookie> COOKIE = XdrCodec.of(
            (out, c) -> out.writeOpaque(c.bytes(), RemoteLimits.MIGRATE_COOKIE_MAX),
            in -> new Cookie(in.readOpaque(RemoteLimits.MIGRATE_COOKIE_MAX)));
    /** {@code remote_typed_param params<REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX>}. */
    public static final XdrCodec<List<TypedParam>> MIGRATE_PARAMS =
            TypedParamCodec.list(RemoteLimits.MIGRATE_PARAM_LIST_MAX);
    /** {@code remote_typed_param params<REMOTE_DOMAIN_JOB_STATS_MAX>}. */
    public static final XdrCodec<List<TypedParam>> JOB_STATS = TypedParamCodec.list(RemoteLimits.JOB_STATS_MAX);
    /** {@code remote_typed_param params<REMOTE_DOMAIN_SAVE_PARAMS_MAX>}. */
    public static final XdrCodec<List<TypedParam>> SAVE_PARAMS = TypedParamCodec.list(RemoteLimits.SAVE_PARAMS_MAX);

    /**
     * XDR {@code char name<max>}: a count, then one 4-byte word per char. libvirtd counts the trailing NUL, so
     * this codec sends it and stops at the first NUL it reads.
     */
    public static XdrCodec<String> charArray(int max) {
        return XdrCodec.of((out, s) -> writeChars(out, s, max), in -> readChars(in, max));
    }

    /** XDR {@code char name[n]}: exactly {@code n} words, NUL-padded, no count. */
    public static XdrCodec<String> fixedChars(int n) {
        return XdrCodec.of(
                (out, s) -> {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    if (b.length > n) {
                        throw new XdrException("text of " + b.length + " bytes does not fit char[" + n + "]");
                    }
                    for (int i = 0; i < n; i++) {
                        out.writeInt(i < b.length ? b[i] : 0);
                    }
                },
                in -> {
                    byte[] b = new byte[n];
                    for (int i = 0; i < n; i++) {
                        b[i] = (byte) in.readInt();
                    }
                    return untilNul(b, n);
                });
    }

    private static void writeChars(XdrWriter out, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length + 1 > max) {
            throw new XdrException("text of " + b.length + " bytes does not fit char<" + max + ">");
        }
        out.writeInt(b.length + 1);
        for (byte c : b) {
            out.writeInt(c);
        }
        out.writeInt(0);
    }

    private static String readChars(XdrReader in, int max) {
        List<Integer> words = in.readArray(max, XdrCodecs.INT);
        byte[] b = new byte[words.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = words.get(i).byteValue();
        }
        return untilNul(b, b.length);
    }

    private static String untilNul(byte[] b, int len) {
        int end = 0;
        while (end < len && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}

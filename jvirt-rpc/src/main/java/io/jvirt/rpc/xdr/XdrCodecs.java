package io.jvirt.rpc.xdr;

/** Codecs for XDR's primitive types, to compose into struct codecs. */
public final class XdrCodecs {
    private XdrCodecs() {}

    /** XDR {@code void}: no bytes; the value is always {@code null}. */
    public static final XdrCodec<Void> VOID = XdrCodec.of((out, v) -> {}, in -> null);

    /** XDR {@code int} (also {@code unsigned int}, whose bits Java keeps in an int). */
    public static final XdrCodec<Integer> INT = XdrCodec.of(XdrWriter::writeInt, XdrReader::readInt);

    /** XDR {@code hyper} (also {@code unsigned hyper}, kept as the long's bits). */
    public static final XdrCodec<Long> HYPER = XdrCodec.of(XdrWriter::writeHyper, XdrReader::readHyper);

    /** XDR {@code string<max>}. */
    public static XdrCodec<String> string(int max) {
        return XdrCodec.of((out, v) -> out.writeString(v, max), in -> in.readString(max));
    }

    /** XDR {@code opaque<max>}. */
    public static XdrCodec<byte[]> opaque(int max) {
        return XdrCodec.of((out, v) -> out.writeOpaque(v, max), in -> in.readOpaque(max));
    }
}

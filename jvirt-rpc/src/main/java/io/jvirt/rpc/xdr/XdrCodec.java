package io.jvirt.rpc.xdr;

import java.util.List;

/**
 * Encodes and decodes one XDR type. Codecs are stateless and shared by all threads; the writer and reader
 * they are handed belong to the calling thread.
 *
 * @param <T> the Java value; {@code Void} for XDR {@code void}
 */
public interface XdrCodec<T> {

    void encode(XdrWriter out, T value);

    T decode(XdrReader in);

    /** A codec from two lambdas. */
    static <T> XdrCodec<T> of(Encoder<T> encoder, Decoder<T> decoder) {
        return new XdrCodec<>() {
            @Override
            public void encode(XdrWriter out, T value) {
                encoder.encode(out, value);
            }

            @Override
            public T decode(XdrReader in) {
                return decoder.decode(in);
            }
        };
    }

    /** XDR {@code T *}: absent is {@code null} on the Java side. */
    default XdrCodec<T> optional() {
        XdrCodec<T> self = this;
        return of((out, v) -> out.writeOptional(v, self), in -> in.readOptional(self));
    }

    /** XDR {@code T name<max>}: a counted array of at most {@code max} elements. */
    default XdrCodec<List<T>> list(int max) {
        XdrCodec<T> self = this;
        return of((out, v) -> out.writeArray(v, max, self), in -> in.readArray(max, self));
    }

    /** The encoding half. */
    @FunctionalInterface
    interface Encoder<T> {
        void encode(XdrWriter out, T value);
    }

    /** The decoding half. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(XdrReader in);
    }
}

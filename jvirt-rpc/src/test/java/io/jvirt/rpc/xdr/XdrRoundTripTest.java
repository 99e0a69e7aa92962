package io.jvirt.rpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Round trips over edge values plus a seeded random sweep (fixed seeds, so a failure reproduces). */
class XdrRoundTripTest {
    private static final int ROUNDS = 2_000;

    @Test
    void scalarsComeBackAsWritten() {
        Random r = new Random(1);
        List<long[]> cases = new ArrayList<>();
        for (long edge : new long[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE}) {
            cases.add(new long[] {edge, edge});
        }
        for (int i = 0; i < ROUNDS; i++) {
            cases.add(new long[] {r.nextInt(), r.nextLong()});
        }
        for (long[] c : cases) {
            double d = Double.longBitsToDouble(c[1]);
            XdrWriter out = new XdrWriter();
            out.writeInt((int) c[0]);
            out.writeHyper(c[1]);
            out.writeDouble(d);
            out.writeBool((c[0] & 1) == 1);
            out.writeUnsignedInt(Integer.toUnsignedLong((int) c[0]));
            XdrReader in = new XdrReader(out.toByteArray());
            assertThat(in.readInt()).isEqualTo((int) c[0]);
            assertThat(in.readHyper()).isEqualTo(c[1]);
            assertThat(Double.doubleToRawLongBits(in.readDouble())).isEqualTo(Double.doubleToRawLongBits(d));
            assertThat(in.readBool()).isEqualTo((c[0] & 1) == 1);
            assertThat(in.readUnsignedInt()).isEqualTo(Integer.toUnsignedLong((int) c[0]));
            in.requireEnd();
        }
    }

    @Test
    void stringsOfEveryPaddingAreZeroPaddedToFourBytes() {
        Random r = new Random(2);
        List<String> cases = new ArrayList<>(List.of("", "a", "ab", "abc", "abcd", "abcde", "é", "日本", "😀x"));
        for (int i = 0; i < ROUNDS; i++) {
            cases.add(randomText(r, r.nextInt(40)));
        }
        for (String s : cases) {
            XdrWriter out = new XdrWriter();
            out.writeString(s, 1_000);
            byte[] bytes = out.toByteArray();
            int len = s.getBytes(StandardCharsets.UTF_8).length;
            assertThat(new XdrReader(bytes).readInt()).isEqualTo(len);
            assertThat(bytes).hasSize(4 + ((len + 3) & ~3));
            for (int k = 4 + len; k < bytes.length; k++) {
                assertThat(bytes[k]).as("pad byte %d of %s", k, s).isZero();
            }
            XdrReader in = new XdrReader(bytes);
            assertThat(in.readString(1_000)).isEqualTo(s);
            in.requireEnd();
        }
    }

    @Test
    void opaqueAndFixedOpaqueRoundTrip() {
        Random r = new Random(3);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] data = new byte[r.nextInt(70)];
            r.nextBytes(data);
            XdrWriter out = new XdrWriter();
            out.writeOpaque(data, 70);
            out.writeFixedOpaque(data, data.length);
            XdrReader in = new XdrReader(out.toByteArray());
            assertThat(in.readOpaque(70)).isEqualTo(data);
            assertThat(in.readFixedOpaque(data.length)).isEqualTo(data);
            in.requireEnd();
        }
    }

    @Test
    void optionalsAndArraysRoundTrip() {
        Random r = new Random(4);
        XdrCodec<String> str = XdrCodecs.string(100);
        for (int i = 0; i < ROUNDS; i++) {
            List<String> values = new ArrayList<>();
            for (int k = r.nextInt(21); k > 0; k--) {
                values.add(r.nextInt(4) == 0 ? null : randomText(r, r.nextInt(12)));
            }
            String single = r.nextBoolean() ? randomText(r, 3) : null;
            XdrWriter out = new XdrWriter();
            out.writeArray(values, 20 + 1, str.optional());
            out.writeOptional(single, str);
            XdrReader in = new XdrReader(out.toByteArray());
            assertThat(in.readArray(21, str.optional())).containsExactlyElementsOf(values);
            assertThat(in.readOptional(str)).isEqualTo(single);
            in.requireEnd();
        }
    }

    private static String randomText(Random r, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            b.appendCodePoint(
                    kind < 7 ? 'a' + r.nextInt(26) : kind < 9 ? 0xe0 + r.nextInt(0x100) : 0x1F600 + r.nextInt(40));
        }
        return b.toString();
    }
}

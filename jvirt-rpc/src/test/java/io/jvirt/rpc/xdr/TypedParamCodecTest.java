package io.jvirt.rpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.TypedParam;
import io.jvirt.api.TypedParam.Type;
import io.jvirt.rpc.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TypedParamCodecTest {

    @Test
    void everyTypeRoundTrips() {
        Random r = new Random(5);
        for (int i = 0; i < 2_000; i++) {
            TypedParam p = randomParam(r);
            XdrWriter out = new XdrWriter();
            TypedParamCodec.PARAM.encode(out, p);
            XdrReader in = new XdrReader(out.toByteArray());
            TypedParam back = TypedParamCodec.PARAM.decode(in);
            in.requireEnd();
            assertThat(back.field()).isEqualTo(p.field());
            assertThat(back.type()).isEqualTo(p.type());
            if (p.type() == Type.DOUBLE) {
                assertThat(Double.doubleToRawLongBits((Double) back.value()))
                        .isEqualTo(Double.doubleToRawLongBits((Double) p.value()));
            } else {
                assertThat(back.value()).isEqualTo(p.value());
            }
        }
    }

    private static TypedParam randomParam(Random r) {
        String name = "f".repeat(1 + r.nextInt(TypedParamCodec.FIELD_MAX));
        Type type = Type.values()[r.nextInt(Type.values().length)];
        Object value = switch (type) {
            case INT, UINT -> r.nextInt();
            case LLONG, ULLONG -> r.nextLong();
            case DOUBLE -> Double.longBitsToDouble(r.nextLong());
            case BOOLEAN -> r.nextBoolean();
            case STRING -> "v".repeat(r.nextInt(50)) + "é";
        };
        return new TypedParam(name, type, value);
    }

    @Test
    void aStringParamIsNameThenDiscriminantSevenThenString() {
        XdrWriter out = new XdrWriter();
        TypedParamCodec.PARAM.encode(out, TypedParam.string("migrate_uri", "tcp:vm:49152"));
        assertThat(Hex.of(out.toByteArray())).isEqualTo(Hex.of(Hex.bytes("""
                0000000b 6d696772 6174655f 75726900
                00000007
                0000000c 7463703a 766d3a34 39313532
                """)));
    }

    @Test
    void anUllongParamIsDiscriminantFourThenEightBytes() {
        XdrWriter out = new XdrWriter();
        TypedParamCodec.PARAM.encode(out, TypedParam.ullong("bandwidth", 0x1_0000_0002L));
        assertThat(out.toByteArray()).isEqualTo(Hex.bytes("""
                00000009 62616e64 77696474 68000000
                00000004
                00000001 00000002
                """));
    }

    @Test
    void anUnknownTypeIsRefused() {
        XdrReader in = new XdrReader(Hex.bytes("00000001 61000000 00000008 00000000"));
        assertThatThrownBy(() -> TypedParamCodec.PARAM.decode(in))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("unknown parameter type: 8");
    }

    @Test
    void aFieldNameThatDoesNotFitEightyBytesWithItsNulIsRefusedBothWays() {
        String eighty = "f".repeat(80);
        assertThatThrownBy(() -> TypedParamCodec.PARAM.encode(new XdrWriter(), TypedParam.integer(eighty, 1)))
                .isInstanceOf(XdrException.class);
        XdrWriter raw = new XdrWriter();
        raw.writeString(eighty, 100);
        raw.writeInt(1);
        raw.writeInt(1);
        assertThatThrownBy(() -> TypedParamCodec.PARAM.decode(new XdrReader(raw.toByteArray())))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("maximum 79");
        TypedParamCodec.PARAM.encode(new XdrWriter(), TypedParam.integer("f".repeat(79), 1));
    }

    @Test
    void aListOverTheProcedureMaximumIsRefusedBothWays() {
        List<TypedParam> sixtyFive = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            sixtyFive.add(TypedParam.integer("p" + i, i));
        }
        XdrCodec<List<TypedParam>> list64 = TypedParamCodec.list(64);
        assertThatThrownBy(() -> list64.encode(new XdrWriter(), sixtyFive)).isInstanceOf(XdrException.class);
        XdrWriter raw = new XdrWriter();
        TypedParamCodec.list(100).encode(raw, sixtyFive);
        assertThatThrownBy(() -> list64.decode(new XdrReader(raw.toByteArray())))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("maximum 64");
    }

    @Test
    void aValueOfTheWrongJavaTypeIsRefused() {
        assertThatThrownBy(() ->
                        TypedParamCodec.PARAM.encode(new XdrWriter(), new TypedParam("bandwidth", Type.ULLONG, 5)))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("bandwidth");
    }

    @Test
    void booleansTravelAsIntegers() {
        XdrWriter out = new XdrWriter();
        TypedParamCodec.PARAM.encode(out, new TypedParam("b", Type.BOOLEAN, true));
        assertThat(out.toByteArray()).isEqualTo(Hex.bytes("00000001 62000000 00000006 00000001"));
    }
}

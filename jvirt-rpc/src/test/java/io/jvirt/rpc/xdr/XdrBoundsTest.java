package io.jvirt.rpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.rpc.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class XdrBoundsTest {

    @Test
    void aStringClaimingTwoGigabytesFailsWithoutAllocatingThem() {
        // 0x80000000 = 2^31: over any max and over what is left.
        XdrReader in = new XdrReader(Hex.bytes("80000000 41424344"));
        assertThatThrownBy(() -> in.readString(Integer.MAX_VALUE))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("2147483648");
    }

    @Test
    void aStringWithinItsMaxButBeyondTheBufferIsRefusedBeforeAllocation() {
        XdrReader in = new XdrReader(Hex.bytes("7ffffff0 41424344"));
        assertThatThrownBy(() -> in.readString(Integer.MAX_VALUE))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("bytes left");
    }

    @Test
    void aStringOverItsMaxIsRefusedEvenWhenTheBytesArePresent() {
        XdrReader in = new XdrReader(Hex.bytes("00000005 68656c6c 6f000000"));
        assertThatThrownBy(() -> in.readString(4))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("exceeds its maximum 4");
    }

    @Test
    void anOpaqueOverItsMaxIsRefused() {
        XdrReader in = new XdrReader(Hex.bytes("00000009 00000000 00000000 00000000"));
        assertThatThrownBy(() -> in.readOpaque(8)).isInstanceOf(XdrException.class);
    }

    @Test
    void anArrayCountOverItsMaxIsRefused() {
        XdrReader in = new XdrReader(Hex.bytes("00000041" + "00000000".repeat(65)));
        assertThatThrownBy(() -> in.readArray(64, XdrCodecs.INT))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("exceeds its maximum 64");
    }

    @Test
    void anArrayCountLargerThanTheRemainingBytesIsRefusedBeforeAllocation() {
        XdrReader in = new XdrReader(Hex.bytes("7fffffff 00000001"));
        assertThatThrownBy(() -> in.readArray(Integer.MAX_VALUE, XdrCodecs.INT))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("bytes left");
    }

    @Test
    void truncatedScalarsAreRefused() {
        assertThatThrownBy(() -> new XdrReader(Hex.bytes("000000")).readInt())
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> new XdrReader(Hex.bytes("00000000 000000")).readHyper())
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> new XdrReader(Hex.bytes("00112233")).readFixedOpaque(16))
                .isInstanceOf(XdrException.class);
    }

    @Test
    void aStringMissingItsPaddingIsTruncated() {
        XdrReader in = new XdrReader(Hex.bytes("00000003 616263"));
        assertThatThrownBy(() -> in.readString(10)).isInstanceOf(XdrException.class);
    }

    @Test
    void encodingRefusesWhatTheDecoderWouldRefuse() {
        XdrWriter out = new XdrWriter();
        assertThatThrownBy(() -> out.writeString("hello", 4)).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> out.writeArray(List.of(1, 2, 3), 2, XdrCodecs.INT))
                .isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> out.writeUnsignedInt(-1)).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> out.writeString(null, 4)).isInstanceOf(XdrException.class);
    }

    @Test
    void aWriterNeverGrowsPastItsMaximum() {
        XdrWriter out = new XdrWriter(8, 16);
        out.writeHyper(1);
        out.writeHyper(2);
        assertThatThrownBy(() -> out.writeInt(3))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("exceeds the maximum 16");
        assertThat(out.position()).isEqualTo(16);
    }

    @Test
    void theExceptionBecomesAnRpcErrorForThePeer() {
        var e = new XdrException("array count 99 exceeds its maximum 64").toVirtException();
        assertThat(e.code()).isEqualTo(ErrorCode.RPC);
        assertThat(e.domain()).isEqualTo(ErrorDomain.RPC);
        assertThat(e.getMessage()).isEqualTo("array count 99 exceeds its maximum 64");
    }

    @Test
    void aResetWriterReusesItsBuffer() {
        XdrWriter out = new XdrWriter(4, 64);
        out.writeString("first value", 64);
        out.reset();
        out.writeInt(7);
        assertThat(out.toByteArray()).isEqualTo(Hex.bytes("00000007"));
    }
}

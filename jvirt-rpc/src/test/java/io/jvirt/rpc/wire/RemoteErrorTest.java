package io.jvirt.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.ErrorLevel;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.wire.NetTypes.NetworkRef;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RemoteErrorTest {

    @Test
    void everyFieldRoundTripsIncludingTheOnesLibvirtLeavesUnset() {
        RemoteError full = new RemoteError(
                55,
                10,
                "Requested operation is not valid: no job",
                2,
                new DomainRef("g1", UUID.randomUUID(), 3),
                "s1",
                "s2",
                "s3",
                7,
                8,
                new NetworkRef("default", UUID.randomUUID()));
        assertThat(roundTrip(full)).isEqualTo(full);
        RemoteError sparse = new RemoteError(1, 0, null, 0, null, null, null, null, -1, -1, null);
        assertThat(roundTrip(sparse)).isEqualTo(sparse);
    }

    @Test
    void anExceptionCrossesTheWireWithCodeDomainLevelAndMessage() {
        VirtException sent = new VirtException(
                ErrorCode.OPERATION_INVALID,
                ErrorDomain.QEMU,
                ErrorLevel.WARNING,
                "Requested operation is not valid: domain is not running",
                null);
        VirtException got = roundTrip(RemoteError.from(sent)).toException();
        assertThat(got.code()).isEqualTo(sent.code());
        assertThat(got.domain()).isEqualTo(sent.domain());
        assertThat(got.level()).isEqualTo(sent.level());
        assertThat(got.getMessage()).isEqualTo(sent.getMessage());
    }

    @Test
    void theClientSeesUnknownProcedureAsNoSupport() {
        RemoteError unknown = RemoteError.unknownProcedure(426);
        assertThat(unknown.code()).isEqualTo(39);
        assertThat(unknown.domain()).isEqualTo(7);
        assertThat(unknown.message()).isEqualTo("unknown procedure: 426");
        assertThat(unknown.toException().code()).isEqualTo(ErrorCode.RPC);
        assertThat(unknown.toClientException().code()).isEqualTo(ErrorCode.NO_SUPPORT);
        RemoteError fromRemote =
                new RemoteError(39, 13, "unknown procedure: 5", 2, null, null, null, null, -1, -1, null);
        assertThat(fromRemote.toClientException().code()).isEqualTo(ErrorCode.NO_SUPPORT);
    }

    @Test
    void otherRpcErrorsKeepTheirCodeOnTheClient() {
        assertThat(RemoteError.unknownProgram(0x20008087, 2).toClientException().code())
                .isEqualTo(ErrorCode.RPC);
        RemoteError qemuDomain =
                new RemoteError(39, 10, "unknown procedure: 5", 2, null, null, null, null, -1, -1, null);
        assertThat(qemuDomain.toClientException().code()).isEqualTo(ErrorCode.RPC);
    }

    private static RemoteError roundTrip(RemoteError e) {
        XdrWriter out = new XdrWriter();
        RemoteError.CODEC.encode(out, e);
        XdrReader in = new XdrReader(out.toByteArray());
        RemoteError back = RemoteError.CODEC.decode(in);
        in.requireEnd();
        return back;
    }
}

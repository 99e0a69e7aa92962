package io.jvirt.rpc.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.rpc.proto.JvirtProcedures;
import io.jvirt.rpc.proto.Procedure;
import io.jvirt.rpc.proto.ProcedureLookup;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.xdr.XdrException;
import io.jvirt.testing.DecoderContract;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fuzzes the RPC wire as a peer's reader meets it: a byte stream cut into frames, each header decoded, and each
 * payload decoded with the codec its header names, whichever procedure that is: args for a CALL or an event
 * MESSAGE, ret for a REPLY, the remote error of an ERROR, the hole of a STREAM_HOLE. The seed corpus holds a CALL
 * of every REMOTE and JVIRT procedure (see {@code FuzzSeeds}) and the frames libvirt 11.3 sent in a captured
 * session, so every procedure's args are reached. Decoding may fail only with {@link XdrException} (a stream cut
 * inside a frame: {@link EOFException}), and never allocates more than the frame limit.
 */
class FrameFuzzTest {
    private static final DecoderContract CONTRACT =
            DecoderContract.of(2L * MessageLimits.MAX, List.of(XdrException.class, EOFException.class));

    @FuzzTest(maxDuration = "10s")
    void frames(byte[] input) throws Exception {
        CONTRACT.check(() -> {
            ByteArrayInputStream in = new ByteArrayInputStream(input);
            for (Optional<Message> m = Frames.read(in); m.isPresent(); m = Frames.read(in)) {
                decodePayload(m.get());
            }
        });
    }

    /** Decodes the payload as the receiving side would. */
    static void decodePayload(Message m) {
        Header h = m.header();
        switch (h.type()) {
            case STREAM, STREAM_HOLE -> {
                switch (StreamPackets.kind(m)) {
                    case HOLE -> m.decode(StreamPackets.Hole.CODEC);
                    case ERROR -> m.decode(RemoteError.CODEC).toClientException();
                    default -> {}
                }
            }
            case REPLY, REPLY_WITH_FDS -> {
                if (h.status() == MessageStatus.ERROR) {
                    m.decode(RemoteError.CODEC).toClientException();
                } else {
                    procedure(h).ifPresent(p -> p.decodeRet(m));
                }
            }
            case CALL, CALL_WITH_FDS, MESSAGE -> procedure(h).ifPresent(p -> p.decodeArgs(m));
        }
    }

    private static Optional<Procedure<?, ?>> procedure(Header h) {
        if (Program.REMOTE.matches(h)) {
            return RemoteProcedures.lookup(h.procedure()) instanceof ProcedureLookup.Known k
                    ? Optional.of(k.procedure())
                    : Optional.empty();
        }
        if (Program.JVIRT.matches(h)) {
            return Stream.of(JvirtProcedures.MIGRATE_TUNNEL_CHANNEL, JvirtProcedures.MIGRATE_TUNNEL_NBD)
                    .<Procedure<?, ?>>map(p -> p)
                    .filter(p -> p.number() == h.procedure())
                    .findFirst();
        }
        return Optional.empty();
    }
}

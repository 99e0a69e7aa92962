package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.STRING;
import static io.jvirt.rpc.proto.RemoteTypes.VOID;

import io.jvirt.rpc.proto.Procedure.Kind;
import io.jvirt.rpc.proto.Procedure.Priority;
import io.jvirt.rpc.xdr.XdrCodec;

/**
 * The procedures of jvirt's own program ({@link io.jvirt.rpc.wire.Program#JVIRT}), which only jvirt daemons
 * serve and only after both announced the feature each names ({@code DriverFeature.JVIRT_TUNNEL_CHANNELS},
 * {@code JVIRT_TUNNEL_STORAGE}). They travel as the REMOTE
 * program's calls do (same header, same XDR, same streams); only the program number differs, so a libvirt peer
 * is never asked.
 */
public final class JvirtProcedures {
    /**
     * One more channel of a tunnelled migration whose QEMUs use several connections (multifd): the call names
     * the incoming domain and the channel's index (1 and up; the PrepareTunnel3 stream is channel 0), then the
     * client sends that channel's bytes in the call's stream.
     */
    public static final Procedure<TunnelChannelArgs, Void> MIGRATE_TUNNEL_CHANNEL = new Procedure<>(
            1, "JVIRT_MIGRATE_TUNNEL_CHANNEL", Priority.LOW, Kind.CALL_WRITE_STREAM, TunnelChannelArgs.CODEC, VOID);

    /**
     * One NBD connection of a tunnelled migration's storage copy: the call names the incoming domain and numbers
     * the connection (for the logs); then the client sends what its NBD client writes in the call's stream, and
     * the server sends what its NBD server answers back in the same stream (STREAM/CONTINUE packets from the
     * server, the last one empty). Only after both announced {@code DriverFeature.JVIRT_TUNNEL_STORAGE}.
     */
    public static final Procedure<TunnelChannelArgs, Void> MIGRATE_TUNNEL_NBD = new Procedure<>(
            2, "JVIRT_MIGRATE_TUNNEL_NBD", Priority.LOW, Kind.CALL_WRITE_STREAM, TunnelChannelArgs.CODEC, VOID);

    private JvirtProcedures() {}

    /**
     * Args of {@link #MIGRATE_TUNNEL_CHANNEL} and {@link #MIGRATE_TUNNEL_NBD}: the domain's name on the destination
     * and the channel's (or NBD connection's) index.
     */
    public record TunnelChannelArgs(String name, int channel) {
        public static final XdrCodec<TunnelChannelArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    STRING.encode(out, v.name);
                    out.writeInt(v.channel);
                },
                in -> new TunnelChannelArgs(STRING.decode(in), in.readInt()));
    }
}

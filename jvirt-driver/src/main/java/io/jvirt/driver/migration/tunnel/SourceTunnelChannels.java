package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.VirtException;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.UnixServerSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The source end of jvirt's tunnel with several channels (see
 * {@link io.jvirt.api.DriverFeature#JVIRT_TUNNEL_CHANNELS}): QEMU, with multifd on, migrates to a unix socket
 * jvirt listens on in the host's run directory, and connects to it once for its main channel and once per multifd
 * channel; each connection becomes one {@link TunnelChannelSource}, which one stream (each on its own connection
 * to the destination) carries. Channels are handed out in the order QEMU connects; the destination's QEMU tells
 * them apart by their first bytes. {@link #close()} (abort, failure) ends every channel and the listening socket
 * before anyone cancels QEMU's migration, as for the single tunnel.
 *
 * <p>Threading: an accepting platform thread runs from {@link #open} until every channel is connected or the
 * tunnel closes; the channels are read by their streams' senders; the rest runs on Perform's or an aborting
 * thread.
 */
public final class SourceTunnelChannels implements OutgoingTransport {
    private static final Logger LOG = System.getLogger(SourceTunnelChannels.class.getName());

    private final UnixServerSocket server;
    private final TunnelChannelSource[] channels;
    private final Supplier<VirtException> lost;
    private final List<Supplier<VirtException>> extraLinks = new CopyOnWriteArrayList<>();

    private SourceTunnelChannels(UnixServerSocket server, int count, Supplier<VirtException> lost) {
        this.server = server;
        this.channels = new TunnelChannelSource[count];
        this.lost = lost;
        for (int i = 0; i < count; i++) {
            channels[i] = new TunnelChannelSource();
        }
    }

    /** Listens at {@code socket} for {@code count} connections (main channel included) and starts accepting. */
    public static SourceTunnelChannels open(String domain, Path socket, int count, Supplier<VirtException> lost) {
        UnixServerSocket server = TunnelListen.bind(socket, "the tunnel's channels");
        SourceTunnelChannels out = new SourceTunnelChannels(server, count, lost);
        Thread.ofPlatform().daemon(true).name("jvirt-tunnel-accept-" + domain).start(out::acceptAll);
        return out;
    }

    private void acceptAll() {
        try {
            for (TunnelChannelSource channel : channels) {
                channel.connected(server.accept());
            }
        } catch (NativeIOException e) {
            LOG.log(Level.DEBUG, "tunnel channels: accepting ended: {0}", e.getMessage());
        } finally {
            closeServer();
        }
    }

    public int count() {
        return channels.length;
    }

    /** What stream {@code index} sends: 0 goes with PrepareTunnel3, the others with jvirt's channel call. */
    public ReadableByteChannel channel(int index) {
        return channels[index];
    }

    /** Watches one more connection to the destination, which carries a channel. */
    public void watch(Supplier<VirtException> link) {
        extraLinks.add(link);
    }

    public long bytes() {
        long total = 0;
        for (TunnelChannelSource c : channels) {
            total += c.bytes();
        }
        return total;
    }

    @Override
    public String uri() {
        return "unix:" + server.path();
    }

    @Override
    public void close() {
        for (TunnelChannelSource c : channels) {
            c.abort();
        }
        closeServer();
    }

    /** Also removes the socket's file. */
    private void closeServer() {
        server.close();
    }

    @Override
    public VirtException lost() {
        VirtException gone = lost.get();
        for (Supplier<VirtException> link : extraLinks) {
            if (gone == null) {
                gone = link.get();
            }
        }
        return gone;
    }

    @Override
    public void drain() {
        TunnelDrain.drain(List.of(channels), this::lost);
    }
}

package io.jvirt.guest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Just enough QMP for the boot test: one JSON object per line, matched by substring. A platform reader thread
 * queues every line (blocking socket reads); the test thread takes replies and events with deadlines.
 */
final class MiniQmpClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private MiniQmpClient(SocketChannel channel) {
        this.channel = channel;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        this.reader = Thread.ofPlatform().daemon().name("mini-qmp-reader").start(() -> {
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException closed) {
                // The socket was closed by close() or QEMU exited.
            }
            lines.add("{\"jvirt-test\": \"eof\"}");
        });
    }

    /** Connects to a QMP socket that QEMU is creating, retrying until {@code timeout}, and negotiates. */
    static MiniQmpClient connect(Path socket, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                MiniQmpClient client = new MiniQmpClient(channel);
                client.await("\"QMP\"", timeout);
                client.execute("{\"execute\": \"qmp_capabilities\"}", timeout);
                return client;
            } catch (IOException e) {
                channel.close();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("QMP socket " + socket + " did not accept a connection", e);
                }
                Thread.sleep(20); // polling for the socket, bounded by the deadline above
            }
        }
    }

    /** Sends one command and returns its reply line ({@code return} or {@code error}); events are skipped. */
    String execute(String json, Duration timeout) throws Exception {
        channel.write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
        return await("\"return\"|\"error\"", timeout);
    }

    /** The first line matching {@code regex} (searched within the line), skipping others. */
    String await(String regex, Duration timeout) throws Exception {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no QMP line matching " + regex + " within " + timeout);
            }
            if (pattern.matcher(line).find()) {
                return line;
            }
            if (line.contains("jvirt-test")) {
                throw new AssertionError("QMP connection closed while waiting for " + regex);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

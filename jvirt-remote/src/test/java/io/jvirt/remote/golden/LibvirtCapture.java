package io.jvirt.remote.golden;

import io.jvirt.rpc.wire.Keepalive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Records the golden session: starts a private libvirtd 11.3 ({@link PrivateLibvirtd}), puts a
 * {@link RecordingProxy} in front of it, runs {@link Scenario} through the proxy with the test driver
 * ({@code test+unix:///default}), and writes {@code session.frames} plus a readable {@code session.txt} into the
 * directory given (normally {@code jvirt-remote/src/test/resources/libvirt-11.3}). Run as root by
 * {@code scripts/remote-against-libvirtd capture}; never by CI.
 */
public final class LibvirtCapture {
    private LibvirtCapture() {}

    @SuppressWarnings("try") // PrivateLibvirtd.close() may be interrupted; main passes that on
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "jvirt-remote/src/test/resources/libvirt-11.3");
        Path tmp = Files.createTempDirectory("jvirt-capture");
        try (PrivateLibvirtd daemon = PrivateLibvirtd.start(tmp.resolve("daemon"));
                RecordingProxy proxy = new RecordingProxy(tmp.resolve("proxy-sock"), daemon.socket())) {
            String uri = "test+unix:///default?socket=" + tmp.resolve("proxy-sock");
            Scenario.Result r = Scenario.run(uri, () -> awaitPingPong(proxy));
            System.out.println(r);
            awaitClosed(proxy);
            List<RecordedFrame> frames = proxy.frames();
            RecordedFrame.write(out.resolve("session.frames"), frames);
            Files.writeString(
                    out.resolve("session.txt"),
                    "# libvirtd " + version() + ", test:///default, "
                            + "recorded by LibvirtCapture; one line per frame in session.frames\n"
                            + frames.stream().map(RecordedFrame::describe).collect(Collectors.joining("\n")) + "\n");
            System.out.println("wrote " + frames.size() + " frames to " + out);
        }
    }

    private static void awaitPingPong(RecordingProxy proxy) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<RecordedFrame> f = proxy.frames();
            boolean ping = f.stream()
                    .anyMatch(
                            r -> !r.fromClient() && Keepalive.isPing(r.decode().header()));
            boolean pong = f.stream()
                    .anyMatch(r -> r.fromClient() && Keepalive.isPong(r.decode().header()));
            if (ping && pong) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("libvirtd sent no PING (or the client no PONG) within 15 s");
    }

    /** Waits until the CONNECT_CLOSE reply went through the proxy. */
    private static void awaitClosed(RecordingProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (proxy.frames().stream()
                    .anyMatch(r -> !r.fromClient()
                            && io.jvirt.rpc.wire.Program.REMOTE.matches(
                                    r.decode().header())
                            && r.decode().header().procedure() == 2)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static String version() throws Exception {
        Process p = new ProcessBuilder(PrivateLibvirtd.BINARY.toString(), "--version").start();
        String v = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return v;
    }
}

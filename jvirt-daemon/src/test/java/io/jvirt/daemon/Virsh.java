package io.jvirt.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real /usr/bin/virsh against a jvirtd socket and collects what a user would see. */
final class Virsh {
    static final Path BINARY = Path.of("/usr/bin/virsh");

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final String uri;
    private final boolean readOnly;

    Virsh(Path socket, boolean readOnly) {
        this("qemu+unix:///system?socket=" + socket, readOnly);
    }

    private Virsh(String uri, boolean readOnly) {
        this.uri = uri;
        this.readOnly = readOnly;
    }

    /** virsh on any URI ({@code -c URI}), with {@code -r} when {@code readOnly}. */
    static Virsh uri(String uri, boolean readOnly) {
        return new Virsh(uri, readOnly);
    }

    static Virsh on(Path socket) {
        return new Virsh(socket, false);
    }

    static Virsh readOnly(Path socket) {
        return new Virsh(socket, true);
    }

    ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString()));
        if (readOnly) {
            cmd.add("-r");
        }
        cmd.addAll(List.of("-c", uri));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LIBVIRT_DEFAULT_URI");
        return pb;
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(120), args);
    }

    /**
     * Runs virsh and waits at most {@code limit}. The readers are platform threads: a blocking pipe read would pin a
     * virtual thread's carrier, and an in-process jvirtd serves its clients on virtual threads. Whatever ends the wait
     * (the limit, an interrupt) ends virsh too.
     */
    Result run(Duration limit, String... args) throws IOException, InterruptedException {
        Process p = command(args).start();
        try {
            p.getOutputStream().close();
            byte[][] buf = new byte[2][];
            Thread o = Thread.ofPlatform().daemon().start(() -> buf[0] = readAll(p.getInputStream()));
            Thread e = Thread.ofPlatform().daemon().start(() -> buf[1] = readAll(p.getErrorStream()));
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "virsh " + String.join(" ", args) + " did not finish in " + limit.toSeconds() + " s");
            }
            o.join();
            e.join();
            return new Result(
                    p.exitValue(),
                    new String(buf[0], StandardCharsets.UTF_8),
                    new String(buf[1], StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException ex) {
            return new byte[0];
        }
    }
}

package io.jvirt.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code virsh console} as a user runs it: on a terminal (virsh refuses to run a console without one), here the one
 * {@code script(1)} gives it, what the console prints collected, keys typed through the terminal. Ends with the
 * escape key (Ctrl+]); closing kills what is left of it.
 */
final class ConsoleSession implements AutoCloseable {
    private static final byte ESCAPE = 0x1d;

    private final Process process;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final Thread reader;

    private ConsoleSession(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(this::collect);
    }

    /** Starts {@code virsh console ARGS} against {@code virsh}'s URI. */
    static ConsoleSession start(Virsh virsh, String... args) throws IOException {
        List<String> words = new ArrayList<>(List.of("console"));
        words.addAll(List.of(args));
        List<String> argv = virsh.command(words.toArray(String[]::new)).command();
        StringBuilder line = new StringBuilder();
        for (String a : argv) {
            line.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", line.toString(), "/dev/null");
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LIBVIRT_DEFAULT_URI");
        pb.redirectErrorStream(true);
        return new ConsoleSession(pb.start());
    }

    private void collect() {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (seen) {
                    seen.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // The process is gone; what it printed is kept.
        }
    }

    /** What the console printed so far (virsh's banner, then the guest's output). */
    String output() {
        synchronized (seen) {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    /** Types {@code text} on the console's terminal. */
    void type(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Presses virsh's escape key and waits for it to exit; returns its exit status. */
    int escape() throws IOException, InterruptedException {
        OutputStream in = process.getOutputStream();
        in.write(ESCAPE);
        in.flush();
        return awaitExit();
    }

    /** Waits for virsh (and script) to exit by themselves; returns the exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("virsh console did not exit; it printed:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.onExit().join();
        }
    }
}

package io.jvirt.driver.save;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One compressor or decompressor process, started without a shell, with its stderr collected (the first
 * {@value #STDERR_LIMIT} bytes) for error messages. The stderr reader is a platform daemon thread named
 * {@code <owner>-stderr}; it ends when the process closes stderr. Methods are safe from any thread.
 */
final class ChildProgram {
    private static final System.Logger LOG = System.getLogger(ChildProgram.class.getName());
    private static final int STDERR_LIMIT = 4096;
    private static final long KILL_WAIT_SECONDS = 10;

    private final String name;
    private final Process process;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread stderrReader;

    private ChildProgram(String name, Process process, String threadName) {
        this.name = name;
        this.process = process;
        this.stderrReader =
                Thread.ofPlatform().daemon(true).name(threadName + "-stderr").start(this::collectStderr);
    }

    /**
     * Starts {@code argv} (absolute program path first) with the given stdin/stdout; stderr is piped to us.
     *
     * @param owner the pump thread's name, used for the stderr thread's name
     */
    static ChildProgram start(
            List<String> argv, ProcessBuilder.Redirect stdin, ProcessBuilder.Redirect stdout, String owner)
            throws IOException {
        Process process = new ProcessBuilder(argv)
                .redirectInput(stdin)
                .redirectOutput(stdout)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String name = argv.getFirst().substring(argv.getFirst().lastIndexOf('/') + 1);
        LOG.log(Level.DEBUG, "started {0} (pid {1}) for {2}", argv, process.pid(), owner);
        return new ChildProgram(name, process, owner);
    }

    /** The program's name without directory, for messages. */
    String name() {
        return name;
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Waits for the process to exit and returns its status (128 + signal number when killed); also waits (bounded)
     * for the stderr reader, which ends at the child's exit, so no thread of ours outlives the child.
     */
    int waitForExit() throws InterruptedException {
        int status = process.waitFor();
        stderrReader.join(TimeUnit.SECONDS.toMillis(KILL_WAIT_SECONDS));
        return status;
    }

    /**
     * The exit status once the process ends, killing it if it has not ended within {@code grace}; for failure
     * paths, where a child that stopped reading is about to exit or is stuck.
     */
    int exitStatusWithin(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return process.exitValue();
        }
    }

    /** Kills the process (SIGKILL) and waits for it, so no child outlives an aborted pump. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "{0} (pid {1}) did not die after SIGKILL", name, process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** "gzip exited with status 1: gzip: stdin: unexpected end of file" (call after the process exited). */
    String describeFailure(int status) {
        String text = stderrText();
        String how = status > 128 ? "was killed by signal " + (status - 128) : "exited with status " + status;
        return name + " " + how + (text.isEmpty() ? "" : ": " + text);
    }

    /** What the program wrote to stderr, trimmed; waits briefly for the reader to see the end of it. */
    String stderrText() {
        try {
            stderrReader.join(TimeUnit.SECONDS.toMillis(KILL_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8).strip();
        }
    }

    private void collectStderr() {
        byte[] buf = new byte[1024];
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (stderr) {
                    // Keep reading past the limit: a child blocked on a full stderr pipe would never exit.
                    int keep = Math.min(n, STDERR_LIMIT - stderr.size());
                    if (keep > 0) {
                        stderr.write(buf, 0, keep);
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "stderr of {0} unreadable: {1}", name, e.getMessage());
        }
    }
}

package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one build tool (gcc, apt-get, dpkg-deb, ...) directly, never through a shell, and turns every way it can
 * fail into a {@link VirtException} that names the tool and the Debian package that provides it. Blocks the
 * calling thread until the tool exits or its timeout passes.
 */
final class ExternalCommand {
    private static final int OUTPUT_TAIL_CHARS = 2000;

    private final String tool;
    private final String installHint;

    /**
     * @param tool        the executable, looked up on {@code PATH}
     * @param installHint what to install when the tool is missing, e.g. "package gcc"
     */
    ExternalCommand(String tool, String installHint) {
        this.tool = tool;
        this.installHint = installHint;
    }

    /** Runs the tool with {@code args} in {@code workDir} and returns its standard output. */
    String run(Path workDir, Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(args);
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile(workDir, ".out-", ".txt");
            stderr = Files.createTempFile(workDir, ".err-", ".txt");
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile()))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
            } catch (IOException e) {
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.NONE,
                        "cannot run '" + tool + "' (" + e.getMessage() + "): install " + installHint
                                + " (scripts/install-prereqs installs every prerequisite)",
                        e);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw VirtException.of(
                        ErrorCode.OPERATION_TIMEOUT,
                        ErrorDomain.NONE,
                        "'" + String.join(" ", command) + "' did not finish within " + timeout.toSeconds() + " s");
            }
            String out = Files.readString(stdout, StandardCharsets.ISO_8859_1);
            if (process.exitValue() != 0) {
                String err = Files.readString(stderr, StandardCharsets.ISO_8859_1) + out;
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.NONE,
                        "'" + String.join(" ", command) + "' exited with status " + process.exitValue() + ": "
                                + tail(err.strip()));
            }
            return out;
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.NONE,
                    "cannot capture the output of '" + tool + "' in " + workDir + ": " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(
                    ErrorCode.OPERATION_ABORTED, ErrorDomain.NONE, "interrupted while running " + tool, e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static String tail(String text) {
        return text.length() <= OUTPUT_TAIL_CHARS ? text : "..." + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file in a build directory that is deleted anyway.
        }
    }
}

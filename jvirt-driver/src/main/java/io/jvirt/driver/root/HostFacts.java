package io.jvirt.driver.root;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Facts about the host that the API reports: its name and the QEMU version. */
public final class HostFacts {
    private static final Pattern QEMU_VERSION = Pattern.compile("version (\\d+)\\.(\\d+)\\.(\\d+)");

    private HostFacts() {}

    public static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The identity of the running kernel boot, to do a thing once per host boot. */
    public static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** QEMU's version as major * 1,000,000 + minor * 1,000 + micro, from {@code binary --version}. */
    public static long qemuVersion(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            // The answer is a few lines, far below a pipe's buffer: wait first, so a hung binary cannot block us.
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw VirtException.of(
                        ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU, binary + " --version did not answer in 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = QEMU_VERSION.matcher(out);
            if (!m.find()) {
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.QEMU,
                        "cannot parse the version of " + binary + " from: " + out.strip());
            }
            return Long.parseLong(m.group(1)) * 1_000_000
                    + Long.parseLong(m.group(2)) * 1_000
                    + Long.parseLong(m.group(3));
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(
                    ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted asking QEMU its version");
        }
    }
}

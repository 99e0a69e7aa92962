package io.jvirt.driver.host;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The CPU models an x86 guest may be given: those the configured QEMU lists ({@code -cpu help}), as
 * {@code virConnectGetCPUModelNames} answers for x86_64 and i686.
 *
 * <p>Threading: the caller's; runs QEMU once per call.
 */
public final class CpuModels {
    private static final Set<String> X86 = Set.of("x86_64", "i686");
    private static final Set<String> KNOWN_ARCHES =
            Set.of("x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x", "riscv64", "mips", "sparc");

    private CpuModels() {}

    public static List<String> names(String qemuBinary, String arch, int flags) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.NONE,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function virConnectGetCPUModelNames");
        }
        if (!KNOWN_ARCHES.contains(arch)) {
            throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "cannot find architecture " + arch);
        }
        if (!X86.contains(arch)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_UNSUPPORTED,
                    ErrorDomain.NONE,
                    "jvirt's QEMU runs no " + arch + " guests, so it has no CPU models for them");
        }
        return parse(run(qemuBinary));
    }

    /**
     * The model names of {@code -cpu help}: the first word of each line of its "Available CPUs:" section, which
     * ends at the first blank line (the CPUID flags follow).
     */
    static List<String> parse(String help) {
        List<String> out = new ArrayList<>();
        boolean inModels = false;
        for (String line : help.lines().toList()) {
            if (line.startsWith("Available CPUs:")) {
                inModels = true;
            } else if (inModels && line.isBlank()) {
                break;
            } else if (inModels) {
                String name = line.strip().split("\\s+")[0];
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static String run(String qemuBinary) {
        try {
            Process p = new ProcessBuilder(qemuBinary, "-cpu", "help")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, qemuBinary + " -cpu help failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "cannot run " + qemuBinary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "interrupted while asking QEMU", e);
        }
    }
}

package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Debian kernel package the guest boots: the one Debian's {@code linux-image-cloud-amd64} depends on,
 * at the version apt would install. Resolving asks the local apt cache only; {@link #download} fetches the
 * .deb through apt. Runs on the calling thread.
 */
record KernelPackage(String name, String version) {
    /** The metapackage that always points at the current cloud kernel (small, virtio-oriented). */
    static final String METAPACKAGE = "linux-image-cloud-amd64";

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern DEPENDS =
            Pattern.compile("(?m)^Depends:\\s*(linux-image-[0-9][A-Za-z0-9.+-]*)(?:\\s*\\(=\\s*([^)\\s]+)\\))?");
    private static final Pattern VERSION = Pattern.compile("(?m)^Version:\\s*(\\S+)\\s*$");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9.+:~-]+");

    KernelPackage {
        if (!SAFE.matcher(name).matches() || !SAFE.matcher(version).matches()) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.NONE,
                    "unexpected kernel package name or version from apt: '" + name + "' '" + version + "'");
        }
    }

    /** Asks apt's cache which kernel package {@link #METAPACKAGE} depends on, and at which version. */
    static KernelPackage resolve(Path workDir) {
        ExternalCommand aptCache = new ExternalCommand("apt-cache", "package apt (Debian)");
        String show = aptCache.run(workDir, QUERY_TIMEOUT, List.of("show", "--no-all-versions", METAPACKAGE));
        Matcher dep = DEPENDS.matcher(show);
        if (!dep.find()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.NONE,
                    "apt knows no kernel package behind " + METAPACKAGE + " (run 'apt-get update' as root)");
        }
        String name = dep.group(1);
        if (dep.group(2) != null) {
            return new KernelPackage(name, dep.group(2));
        }
        Matcher version =
                VERSION.matcher(aptCache.run(workDir, QUERY_TIMEOUT, List.of("show", "--no-all-versions", name)));
        if (!version.find()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.NONE,
                    "apt-cache shows no version for " + name + " (run 'apt-get update' as root)");
        }
        return new KernelPackage(name, version.group(1));
    }

    /** Where {@link #download} keeps this package's .deb in {@code debDir}. */
    Path debFile(Path debDir) {
        return debDir.resolve(name + "_" + version.replace(':', '_') + "_amd64.deb");
    }

    /**
     * The package's .deb in {@code debDir}, downloaded with {@code apt-get download} unless already there.
     * The caller holds the cache lock, so no other builder writes {@code debDir} meanwhile.
     */
    Path download(Path debDir) {
        Path target = debFile(debDir);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(debDir);
            Path scratch = Files.createTempDirectory(debDir, ".download-");
            try {
                new ExternalCommand("apt-get", "package apt (Debian)")
                        .run(scratch, DOWNLOAD_TIMEOUT, List.of("download", name + "=" + version));
                Path deb;
                try (Stream<Path> files = Files.list(scratch)) {
                    deb = files.filter(p -> p.getFileName().toString().endsWith(".deb"))
                            .findFirst()
                            .orElseThrow(() -> VirtException.of(
                                    ErrorCode.OPERATION_FAILED,
                                    ErrorDomain.NONE,
                                    "apt-get download " + name + " left no .deb in " + scratch));
                }
                Files.move(deb, target, StandardCopyOption.ATOMIC_MOVE);
                deleteOtherDebs(debDir, target);
            } finally {
                FileTrees.deleteRecursively(scratch);
            }
            return target;
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.NONE,
                    "cannot store the kernel package in " + debDir + ": " + e.getMessage(),
                    e);
        }
    }

    // Kernel packages are 25+ MiB and only needed to build; built entries keep their own copy of the kernel.
    private static void deleteOtherDebs(Path debDir, Path keep) throws IOException {
        try (Stream<Path> files = Files.list(debDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.equals(keep) && p.getFileName().toString().endsWith(".deb")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

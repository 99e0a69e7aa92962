package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds the test guest once and caches it: a Debian cloud kernel plus an initramfs holding busybox-static and
 * the workload compiled from {@code jvirt-guest.c}. The cache entry's name hashes the workload source, the init
 * script, busybox and the kernel package version, so changing any of them builds a new entry. Two JVMs may
 * build at once: a lock file serialises them and each entry appears by an atomic rename of a finished build.
 *
 * <p>Blocks the calling thread: for a minute or less on the first build (download, unpack, compile), about a
 * second when apt's package lists changed (one apt-cache query), milliseconds otherwise.
 */
public final class GuestBuilder {
    /** Where root keeps the guest when the repository's directory is closed to other users. */
    static final Path SHARED_CACHE_DIR = Path.of("/var/cache/jvirt/guest");

    /** Environment variable naming the cache directory, overriding the default. */
    public static final String CACHE_DIR_ENV = "JVIRT_GUEST_DIR";

    private static final System.Logger LOG = System.getLogger(GuestBuilder.class.getName());
    // Bump when the layout of a cache entry or of the initramfs changes in a way the hashed inputs do not show.
    private static final String FORMAT = "jvirt-guest-format-2";
    private static final String KERNEL_FILE = "vmlinuz";
    private static final String INITRD_FILE = "initrd.gz";
    private static final String STAMP_FILE = "stamp.txt";
    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(3);
    // Two builders in one JVM would each get the file lock's OverlappingFileLockException, not wait.
    private static final Object JVM_LOCK = new Object();

    private GuestBuilder() {}

    /** {@link #ensureBuilt(Path)} in {@link #defaultCacheDir()}. */
    public static GuestImage ensureBuilt() {
        return ensureBuilt(defaultCacheDir());
    }

    /**
     * The guest image cached in {@code cacheDir}, built first if missing or out of date.
     *
     * @throws VirtException naming the missing tool or the failed step
     */
    public static GuestImage ensureBuilt(Path cacheDir) {
        try {
            Files.createDirectories(cacheDir);
            Path busybox = StaticBusybox.locate();
            byte[] source = resource("jvirt-guest.c");
            byte[] init = resource("init");
            String sourceKey = sourceKey(source, init, Files.readAllBytes(busybox));
            KernelPackage kernel;
            try {
                kernel = KernelPackageMemo.resolve(cacheDir);
            } catch (VirtException e) {
                Optional<Path> previous = newestEntry(cacheDir, sourceKey);
                if (previous.isEmpty()) {
                    throw e;
                }
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot ask apt for the kernel version ({0}); using {1}",
                        e.getMessage(),
                        previous.get());
                return image(previous.get());
            }
            Path entry = cacheDir.resolve(
                    sourceKey + "-" + kernel.name() + "_" + kernel.version().replace(':', '_'));
            if (isComplete(entry)) {
                return image(entry);
            }
            synchronized (JVM_LOCK) {
                try (FileChannel lockFile = FileChannel.open(
                                cacheDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock _ = lockFile.lock()) {
                    if (!isComplete(entry)) {
                        build(cacheDir, entry, kernel, busybox, source, init);
                    }
                    return image(entry);
                }
            }
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.NONE,
                    "cannot build the test guest in " + cacheDir + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * {@code $JVIRT_GUEST_DIR}; else {@code .cache/guest} in the repository (the first directory holding
     * {@code mvnw}, walking up from the working directory) when every directory above it lets others through; else,
     * for root, {@code /var/cache/jvirt/guest}; else {@code ~/.cache/jvirt/guest}. QEMU runs as an unprivileged account
     * and opens the kernel and initrd itself, so a checkout in a closed directory (a clone under /root, or in
     * {@code mktemp -d}) keeps its guest where that account can reach it.
     */
    public static Path defaultCacheDir() {
        String fromEnv = System.getenv(CACHE_DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                if (passable(dir)) {
                    return dir.resolve(".cache").resolve("guest");
                }
                break;
            }
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return SHARED_CACHE_DIR;
        }
        return Path.of(System.getProperty("user.home"), ".cache", "jvirt", "guest");
    }

    /** Whether {@code dir} and every directory above it let other users through (search permission). */
    static boolean passable(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
    }

    private static void build(Path cacheDir, Path entry, KernelPackage kernel, Path busybox, byte[] source, byte[] init)
            throws IOException {
        long started = System.nanoTime();
        LOG.log(
                System.Logger.Level.INFO,
                "building the test guest in {0} (kernel {1} {2})",
                entry,
                kernel.name(),
                kernel.version());
        Path deb = kernel.download(cacheDir.resolve("debs"));
        Path scratch = Files.createTempDirectory(cacheDir, ".build-");
        try {
            KernelTree tree = KernelTree.extract(deb, scratch.resolve("kernel"));
            Path src = scratch.resolve("jvirt-guest.c");
            Files.write(src, source);
            Path binary = scratch.resolve("jvirt-guest");
            new ExternalCommand("gcc", "packages gcc and libc6-dev")
                    .run(
                            scratch,
                            COMPILE_TIMEOUT,
                            List.of(
                                    "-static",
                                    "-pthread",
                                    "-O2",
                                    "-s",
                                    "-Wall",
                                    "-o",
                                    binary.toString(),
                                    src.toString()));
            Path out = Files.createDirectory(scratch.resolve("out"));
            Files.copy(tree.vmlinuz(), out.resolve(KERNEL_FILE));
            Initramfs.write(out.resolve(INITRD_FILE), busybox, init, binary, tree.modules());
            Files.writeString(
                    out.resolve(STAMP_FILE),
                    FORMAT + "\nkernel " + kernel.name() + " " + kernel.version()
                            + "\nbusybox " + busybox + "\nmodules "
                            + tree.modules().stream()
                                    .map(p -> p.getFileName().toString())
                                    .toList() + "\n",
                    StandardCharsets.UTF_8);
            Files.move(out, entry, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
        LOG.log(
                System.Logger.Level.INFO,
                "built the test guest in {0} ms",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static boolean isComplete(Path entry) {
        return Files.isRegularFile(entry.resolve(STAMP_FILE));
    }

    private static GuestImage image(Path entry) {
        return new GuestImage(entry.resolve(KERNEL_FILE), entry.resolve(INITRD_FILE));
    }

    private static Optional<Path> newestEntry(Path cacheDir, String sourceKey) throws IOException {
        try (Stream<Path> entries = Files.list(cacheDir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(sourceKey + "-"))
                    .filter(GuestBuilder::isComplete)
                    .max(Comparator.comparingLong(
                            p -> p.resolve(STAMP_FILE).toFile().lastModified()));
        }
    }

    private static String sourceKey(byte[]... inputs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(FORMAT.getBytes(StandardCharsets.UTF_8));
            for (byte[] input : inputs) {
                sha.update(Long.toString(input.length).getBytes(StandardCharsets.UTF_8));
                sha.update(input);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GuestBuilder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.NONE,
                        "resource io/jvirt/guest/" + name + " is missing from the jvirt-guest jar");
            }
            return in.readAllBytes();
        }
    }
}

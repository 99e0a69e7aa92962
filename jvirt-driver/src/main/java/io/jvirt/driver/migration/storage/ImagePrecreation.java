package io.jvirt.driver.migration.storage;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskFormat;
import io.jvirt.driver.migration.cookie.CookieNbd;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The destination's images for a storage migration, before its QEMU opens them: a disk whose image is missing gets
 * one of the disk's format and the size the source's cookie gave ({@code qemu-img create}, started without a shell;
 * qcow2 as compat 1.1 with metadata preallocated, as libvirt creates it). What was created is remembered, so a
 * migration that fails removes exactly those images again and nothing that was there before.
 *
 * <p>Threading: the Prepare caller's thread; {@link #removeCreated} from whichever thread tears the migration down.
 */
public final class ImagePrecreation {
    private static final Logger LOG = System.getLogger(ImagePrecreation.class.getName());
    private static final long CREATE_SECONDS = 120;

    private final List<Path> created = new ArrayList<>();

    /**
     * Creates every missing image of {@code disks} that the cookie lists with a capacity.
     *
     * @param qemuImg     the qemu-img binary
     * @param incremental NON_SHARED_INC: the top image must exist already (its backing file is shared), so a missing
     *                    one is refused as libvirt refuses it
     */
    public synchronized void createMissing(Path qemuImg, List<DiskDef> disks, CookieNbd nbd, boolean incremental) {
        for (DiskDef disk : disks) {
            long capacity = nbd.capacityOf(disk.targetDev());
            if (capacity < 0 || disk.sourceFile() == null) {
                continue;
            }
            Path image = Path.of(disk.sourceFile());
            if (Files.exists(image)) {
                continue;
            }
            if (incremental) {
                throw VirtException.of(
                        ErrorCode.OPERATION_UNSUPPORTED,
                        ErrorDomain.QEMU,
                        "pre-creation of storage target '" + image + "' for incremental storage migration of disk '"
                                + disk.targetDev() + "' is not supported");
            }
            create(qemuImg, image, disk.format() == null ? DiskFormat.RAW : disk.format(), capacity);
            created.add(image);
        }
    }

    /** The images this migration created, in creation order. */
    public synchronized List<Path> created() {
        return List.copyOf(created);
    }

    /** Removes the images this migration created (it failed); a removal that fails is logged. */
    public synchronized void removeCreated() {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove pre-created image " + p + ": " + e.getMessage());
            }
        }
        created.clear();
    }

    /** Forgets the created images: the migration succeeded and the guest uses them now. */
    public synchronized void keep() {
        created.clear();
    }

    /** The qemu-img beside {@code emulator} when there is one there, else the one on the PATH. */
    public static Path qemuImgFor(String emulator) {
        if (emulator != null) {
            Path sibling = Path.of(emulator).resolveSibling("qemu-img");
            if (Files.isExecutable(sibling)) {
                return sibling;
            }
        }
        return Path.of("qemu-img");
    }

    static List<String> argv(Path qemuImg, Path image, DiskFormat format, long capacity) {
        List<String> argv = new ArrayList<>(List.of(qemuImg.toString(), "create", "-f", format.xml()));
        if (format == DiskFormat.QCOW2) {
            argv.addAll(List.of("-o", "compat=1.1,preallocation=metadata"));
        }
        argv.add(image.toString());
        argv.add(Long.toUnsignedString(capacity));
        return argv;
    }

    private static void create(Path qemuImg, Path image, DiskFormat format, long capacity) {
        List<String> argv = argv(qemuImg, image, format, capacity);
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(CREATE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failed(image, "qemu-img did not finish in " + CREATE_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                Files.deleteIfExists(image);
                throw failed(image, output.isEmpty() ? "qemu-img exited with " + p.exitValue() : output);
            }
            LOG.log(Level.DEBUG, "pre-created {0} ({1}, {2} bytes)", image, format.xml(), capacity);
        } catch (IOException e) {
            throw failed(image, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(image, "interrupted");
        }
    }

    private static VirtException failed(Path image, String why) {
        return VirtException.of(
                ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "cannot pre-create storage '" + image + "': " + why);
    }
}

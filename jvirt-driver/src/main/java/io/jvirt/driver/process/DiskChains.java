package io.jvirt.driver.process;

import io.jvirt.config.BackingStore;
import io.jvirt.config.DeviceDef;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DiskSource;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.root.DriverSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes the disks' backing chains for a start, as libvirt does: every image must exist; where the definition
 * does not say what backs an image (no {@code <backingStore>}), the chain is read from the image with
 * {@link ImageChainReader}; a raw image has no backing. The links are then numbered from 1 below the disk's own
 * image, so live XML shows {@code <backingStore type='file' index='1'>} and QEMU's node names match
 * ({@link BlockNodeNames}). Runs on the caller's thread (the start job), blocking while images are read.
 */
public final class DiskChains {
    private DiskChains() {}

    /** {@code def} with complete, numbered chains, read with the qemu-img beside the domain's emulator. */
    public static DomainDef detect(DomainDef def, DriverSettings settings) {
        Path emulator =
                def.emulator() == null || def.emulator().isBlank() ? settings.qemuBinary() : Path.of(def.emulator());
        return detect(def, QemuImgChains.besides(emulator));
    }

    /**
     * {@code disk} (about to be hot-plugged into {@code def}'s guest) with its complete, numbered chain, read with the
     * qemu-img beside the domain's emulator; an empty drive as it is.
     */
    public static DiskDef detect(DiskDef disk, DomainDef def, DriverSettings settings) {
        return disk.source().isEmpty()
                ? disk
                : detect(def.withDevices(List.of(disk)), settings).disks().getFirst();
    }

    /** {@code def} with complete, numbered chains, read with {@code reader}. */
    public static DomainDef detect(DomainDef def, ImageChainReader reader) {
        if (def.disks().isEmpty()) {
            return def;
        }
        List<DeviceDef> devices = new ArrayList<>(def.devices().size());
        for (DeviceDef d : def.devices()) {
            devices.add(d instanceof DiskDef disk && !disk.source().isEmpty() ? complete(disk, reader) : d);
        }
        return def.withDevices(devices);
    }

    private static DiskDef complete(DiskDef disk, ImageChainReader reader) {
        DiskFormat format = disk.format() == null ? DiskFormat.RAW : disk.format();
        requireExists(disk.source(), null);
        BackingStore chain = complete(disk.source(), format, disk.backingStore(), reader);
        return disk.withBackingStore(number(chain, 1));
    }

    /** The chain below {@code image}, from {@code given} as far as it goes and read from the images after that. */
    private static BackingStore complete(
            DiskSource image, DiskFormat format, BackingStore given, ImageChainReader reader) {
        if (given == null) {
            return format == DiskFormat.RAW ? BackingStore.end(true) : reader.read(image, format);
        }
        if (given.isEnd()) {
            return given;
        }
        requireExists(given.source(), image.path());
        BackingStore rest = complete(given.source(), given.format(), given.backing(), reader);
        return new BackingStore(given.source(), given.format(), 0, rest, given.detected());
    }

    private static BackingStore number(BackingStore b, int index) {
        if (b == null || b.isEnd()) {
            return b;
        }
        return new BackingStore(b.source(), b.format(), index, number(b.backing(), index + 1), b.detected());
    }

    private static void requireExists(DiskSource source, String parent) {
        if (!Files.exists(Path.of(source.path()))) {
            throw StorageErrors.cannotAccess(source.path(), parent, "No such file or directory");
        }
    }
}

package io.jvirt.config;

/**
 * {@code <driver>} of a disk: the backend {@code name} (qemu), the image {@code format}, the host {@code cache}
 * and {@code io} modes, {@code discard} and {@code detectZeroes}. Each is null when not given.
 */
public record DiskDriver(
        String name,
        DiskFormat format,
        DiskCache cache,
        DiskIo io,
        DiskDiscard discard,
        DiskDetectZeroes detectZeroes) {
    /** No {@code <driver>} element. */
    public static final DiskDriver NONE = new DiskDriver(null, null, null, null, null, null);

    public DiskDriver withFormat(DiskFormat newFormat) {
        return new DiskDriver(name, newFormat, cache, io, discard, detectZeroes);
    }
}

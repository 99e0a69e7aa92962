package io.jvirt.config;

import java.util.Objects;

/**
 * Where a disk's (or a backing image's) data lives: a file ({@code <source file=>}) or a block device
 * ({@code <source dev=>}). {@code path} is null for an empty cdrom drive.
 */
public record DiskSource(DiskType type, String path) {
    public DiskSource {
        Objects.requireNonNull(type, "type");
    }

    /** The source of an empty drive of {@code type}. */
    public static DiskSource empty(DiskType type) {
        return new DiskSource(type, null);
    }

    public boolean isEmpty() {
        return path == null;
    }

    /** The attribute of {@code <source>} that names the path: {@code file} or {@code dev}. */
    public String pathAttribute() {
        return type == DiskType.BLOCK ? "dev" : "file";
    }
}

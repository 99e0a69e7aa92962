package io.jvirt.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Directories for test hosts' roots. {@link Files#createTempDirectory(String, java.nio.file.attribute.FileAttribute[])}
 * makes them 0700, which a confined QEMU (jvirt.conf's {@code user}, not root) cannot enter to reach its monitor
 * directory, disks and serial files; libvirt asks the same of the directories above a guest's files. Stateless.
 */
public final class HostDirs {
    private HostDirs() {}

    /** A new directory in java.io.tmpdir, 0755. */
    public static Path temp(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}

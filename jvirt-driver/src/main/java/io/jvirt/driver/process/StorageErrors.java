package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** libvirt's errors for images that cannot be reached, naming the user QEMU would open them as. */
final class StorageErrors {
    private StorageErrors() {}

    /** {@code path} (the disk's own image when {@code parent} is null, else a backing image of parent) is missing. */
    static VirtException cannotAccess(String path, String parent, String reason) {
        String who = "(as uid:" + id("uid") + ", gid:" + id("gid") + ")";
        String what = parent == null
                ? "Cannot access storage file '" + path + "' " + who
                : "Cannot access backing file '" + path + "' of storage file '" + parent + "' " + who;
        return VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.STORAGE, what + ": " + reason);
    }

    // The daemon's own ids: /proc/self belongs to the process that looks at it.
    private static String id(String kind) {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:" + kind).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }
}

package io.jvirt.driver.security;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A file's owner, group and mode bits as stat(2) gives them. A value. */
record FileOwner(int uid, int gid, int mode) {
    private static final int OTHER_READ = 0004;
    private static final int GROUP_READ = 0040;
    private static final int OWNER_READ = 0400;

    static FileOwner of(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:uid,gid,mode");
            return new FileOwner((Integer) a.get("uid"), (Integer) a.get("gid"), (Integer) a.get("mode"));
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.SECURITY, "unable to stat: " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code account} may read the file by its bits (its own, its primary group's, or everyone's). Only
     * the file, not the directories above it, as libvirt's DAC driver looks at a file.
     */
    boolean readableBy(QemuAccount account) {
        if (uid == account.uid()) {
            return (mode & OWNER_READ) != 0;
        }
        if (gid == account.gid()) {
            return (mode & GROUP_READ) != 0;
        }
        return (mode & OTHER_READ) != 0;
    }
}

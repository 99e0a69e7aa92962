package io.jvirt.driver.security;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.SecuritySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The uid and gid QEMU runs as, resolved from jvirt.conf's {@code user} and {@code group} (a name from
 * /etc/passwd and /etc/group, or {@code +N}, as qemu.conf takes them). {@link #confined()} tells whether QEMU runs
 * as someone else than the driver: only a driver running as root can switch; one that does not runs QEMU as itself,
 * as libvirt's session driver does. A value; resolving reads two small files on the caller's thread.
 */
public record QemuAccount(int uid, int gid, boolean confined) {
    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path GROUP = Path.of("/etc/group");

    /** The account {@code settings} name, or the driver's own when the driver is not root. */
    public static QemuAccount resolve(SecuritySettings settings) {
        int selfUid = self("uid");
        if (selfUid != 0) {
            return new QemuAccount(selfUid, self("gid"), false);
        }
        int uid = id(settings.user(), PASSWD).orElseThrow(() -> parseError("user", settings.user()));
        int gid = id(settings.group(), GROUP).orElseThrow(() -> parseError("group", settings.group()));
        return new QemuAccount(uid, gid, uid != 0);
    }

    /** "uid:gid", as libvirt's messages write an owner. */
    public String owner() {
        return uid + ":" + gid;
    }

    /** {@code +N}, or the third field of {@code name}'s line in {@code db} (passwd and group agree on that). */
    static OptionalInt id(String name, Path db) {
        if (name.startsWith("+")) {
            try {
                return OptionalInt.of(Integer.parseInt(name.substring(1)));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(db);
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length > 2 && f[0].equals(name)) {
                try {
                    return OptionalInt.of(Integer.parseInt(f[2]));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }

    private static int self(String what) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + what);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.SECURITY, "cannot read our own " + what + ": " + e, e);
        }
    }

    private static VirtException parseError(String what, String name) {
        return VirtException.of(
                ErrorCode.INTERNAL_ERROR, ErrorDomain.SECURITY, "Failed to parse " + what + " '" + name + "'");
    }
}

package io.jvirt.guest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Lays out the guest's root filesystem as a gzip'd newc cpio: busybox with the few applets {@code /init} uses,
 * {@code /init} itself, the workload binary and the kernel modules, numbered with leading zeros so that the
 * shell's glob order is their load order. Runs on the builder thread.
 */
final class Initramfs {
    private static final List<String> APPLETS =
            List.of("sh", "mount", "insmod", "lsmod", "ls", "cat", "dmesg", "sync", "poweroff", "echo", "ip", "sleep");

    private Initramfs() {}

    /** Writes the initramfs to {@code target}. */
    static void write(Path target, Path busybox, byte[] init, Path workload, List<Path> modules) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
                OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16);
                CpioArchive cpio = new CpioArchive(gzip)) {
            for (String dir : List.of("bin", "dev", "proc", "sys", "tmp", "lib", "lib/modules")) {
                cpio.directory(dir, 0755);
            }
            // The kernel opens /dev/console for init's stdio before anything can mount devtmpfs.
            cpio.charDevice("dev/console", 0600, 5, 1);
            cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
            for (String applet : APPLETS) {
                cpio.symlink("bin/" + applet, "busybox");
            }
            cpio.file("init", 0755, init);
            cpio.file("bin/jvirt-guest", 0755, Files.readAllBytes(workload));
            for (int i = 0; i < modules.size(); i++) {
                Path module = modules.get(i);
                cpio.file(
                        "lib/modules/" + String.format(Locale.ROOT, "%03d", i + 1) + "-" + module.getFileName(),
                        0644,
                        Files.readAllBytes(module));
            }
        }
    }
}

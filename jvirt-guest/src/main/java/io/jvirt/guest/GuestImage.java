package io.jvirt.guest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A built test guest: the kernel and the gzip'd initramfs to hand to QEMU ({@code -kernel}/{@code -initrd}) or to
 * a domain's {@code <os>}. Both files live in the guest cache and are never rewritten once built.
 */
public record GuestImage(Path kernel, Path initrd) {
    public GuestImage {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
    }
}

package io.jvirt.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code <os>}: guest type ({@code hvm}), optional arch and machine, direct kernel boot (kernel, initrd, cmdline)
 * and the boot device order ({@code hd}, {@code cdrom}, {@code network}, {@code fd}). Null means absent.
 */
public record OsDef(
        String type,
        String arch,
        String machine,
        String kernel,
        String initrd,
        String cmdline,
        List<String> bootDevices) {
    public OsDef {
        Objects.requireNonNull(type, "type");
        bootDevices = List.copyOf(bootDevices);
    }
}

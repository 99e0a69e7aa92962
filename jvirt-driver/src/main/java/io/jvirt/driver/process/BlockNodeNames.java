package io.jvirt.driver.process;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The QEMU block node names of a disk's images, derived from the disk's alias and the image's place in its chain
 * (0 for the disk's own image, 1 for its first backing image, as {@code vda[1]} counts), so that a restarted daemon
 * finds the same names without having stored them: {@code virtio-disk0-0-storage} for the protocol node that opens
 * the file or device and {@code virtio-disk0-0-format} for the format node above it. QEMU allows 31 characters,
 * starting with a letter; an alias that would not fit (or has other characters) is replaced by {@code disk-} and its
 * CRC-32. Stateless.
 */
public final class BlockNodeNames {
    static final int MAX_LENGTH = 31;
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

    private BlockNodeNames() {}

    /** The protocol ({@code file}/{@code host_device}) node of image {@code chainIndex} of the disk {@code alias}. */
    public static String storage(String alias, int chainIndex) {
        return name(alias, chainIndex, "storage");
    }

    /** The format ({@code qcow2}/{@code raw}) node of image {@code chainIndex} of the disk {@code alias}. */
    public static String format(String alias, int chainIndex) {
        return name(alias, chainIndex, "format");
    }

    private static String name(String alias, int chainIndex, String layer) {
        String tail = "-" + chainIndex + "-" + layer;
        String name = alias + tail;
        if (name.length() <= MAX_LENGTH && NODE_NAME.matcher(name).matches()) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(alias.getBytes(StandardCharsets.UTF_8));
        return "disk-" + HexFormat.of().toHexDigits((int) crc.getValue()) + tail;
    }
}

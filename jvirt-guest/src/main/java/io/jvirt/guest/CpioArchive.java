package io.jvirt.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Writes a cpio archive in the "newc" format the kernel unpacks as its initramfs. Written by hand rather than
 * with cpio(1) so that the archive can hold a device node ({@code /dev/console}, which the kernel opens before
 * running {@code /init}) without root, and so that two builds of the same input give the same bytes (owner
 * root, mtime 0). Not thread-safe; used by one builder thread.
 */
final class CpioArchive implements AutoCloseable {
    static final int DIRECTORY = 0040000;
    static final int REGULAR = 0100000;
    static final int SYMLINK = 0120000;
    static final int CHAR_DEVICE = 0020000;
    private static final String MAGIC = "070701";
    private static final String TRAILER = "TRAILER!!!";

    private final OutputStream out;
    private long written;
    private int nextInode = 1;

    CpioArchive(OutputStream out) {
        this.out = out;
    }

    /** A directory; {@code path} is relative to the root, without a leading slash. */
    void directory(String path, int permissions) throws IOException {
        entry(path, DIRECTORY | permissions, 2, new byte[0], 0, 0);
    }

    void file(String path, int permissions, byte[] content) throws IOException {
        entry(path, REGULAR | permissions, 1, content, 0, 0);
    }

    void symlink(String path, String target) throws IOException {
        entry(path, SYMLINK | 0777, 1, target.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    void charDevice(String path, int permissions, int major, int minor) throws IOException {
        entry(path, CHAR_DEVICE | permissions, 1, new byte[0], major, minor);
    }

    /** Writes the trailer entry; the archive is complete afterwards. Does not close the stream. */
    @Override
    public void close() throws IOException {
        nextInode = 0;
        header(TRAILER, 0, 1, 0, 0, 0);
        out.flush();
    }

    private void entry(String path, int mode, int links, byte[] content, int rdevMajor, int rdevMinor)
            throws IOException {
        if (path.isEmpty() || path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("archive paths are relative and plain: " + path);
        }
        header(path, mode, links, content.length, rdevMajor, rdevMinor);
        write(content);
        pad();
    }

    private void header(String name, int mode, int links, long size, int rdevMajor, int rdevMinor) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(110).append(MAGIC);
        long[] fields = {
            nextInode == 0 ? 0 : nextInode++,
            mode,
            0,
            0,
            links,
            0,
            size,
            0,
            0,
            rdevMajor,
            rdevMinor,
            nameBytes.length,
            0
        };
        for (long field : fields) {
            h.append(String.format(Locale.ROOT, "%08x", field));
        }
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        pad();
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    // newc aligns both the name (after the 110-byte header) and the data to 4 bytes.
    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }
}

package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds Debian's busybox-static binary. A dynamically linked busybox (package busybox) would not run in the
 * initramfs, which has no libc, so the ELF program headers are checked for an interpreter. Any thread.
 */
final class StaticBusybox {
    private static final List<Path> CANDIDATES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));
    private static final int PT_INTERP = 3;
    private static final int MAX_ELF_HEADER_BYTES = 64 * 1024;

    private StaticBusybox() {}

    /** The path of a statically linked busybox, or an error that says to install busybox-static. */
    static Path locate() {
        for (Path candidate : CANDIDATES) {
            if (Files.isRegularFile(candidate)) {
                if (isStaticElf(candidate)) {
                    return candidate;
                }
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.NONE,
                        candidate + " is dynamically linked: install package busybox-static "
                                + "(scripts/install-prereqs installs every prerequisite)");
            }
        }
        throw VirtException.of(
                ErrorCode.OPERATION_FAILED,
                ErrorDomain.NONE,
                "busybox not found in /bin or /usr/bin: install package busybox-static "
                        + "(scripts/install-prereqs installs every prerequisite)");
    }

    /** True for a 64-bit little-endian ELF executable without a PT_INTERP program header. */
    static boolean isStaticElf(Path file) {
        try (var channel = Files.newByteChannel(file)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), MAX_ELF_HEADER_BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // Fill the buffer: program headers follow the ELF header closely in every linker's output.
            }
            head.flip();
            if (head.limit() < 64 || head.getInt(0) != 0x464c457f || head.get(4) != 2 || head.get(5) != 1) {
                return false;
            }
            long phoff = head.getLong(32);
            int phentsize = Short.toUnsignedInt(head.getShort(54));
            int phnum = Short.toUnsignedInt(head.getShort(56));
            for (int i = 0; i < phnum; i++) {
                long at = phoff + (long) i * phentsize;
                if (at < 0 || at + 4 > head.limit()) {
                    return false;
                }
                if (head.getInt((int) at) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

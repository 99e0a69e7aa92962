package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Linux's {@code struct ifreq}: a 16-byte interface name (NUL-terminated, so at most 15 bytes) followed by a
 * 24-byte union (flags, MTU, index or a hardware address). 40 bytes on LP64. Confined to the thread that made it.
 */
final class IfReq {
    static final int NAME_MAX = 15;
    static final long SIZE = 40;
    static final long UNION = 16;

    private IfReq() {}

    /** A zeroed ifreq in {@code arena} with {@code name} filled in. */
    static MemorySegment named(Arena arena, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > NAME_MAX) {
            throw new IllegalArgumentException(
                    "network interface name '" + name + "' is too long (at most " + NAME_MAX + " bytes)");
        }
        MemorySegment ifr = arena.allocate(SIZE, 8);
        MemorySegment.copy(bytes, 0, ifr, JAVA_BYTE, 0, bytes.length);
        return ifr;
    }

    /** The name the kernel left in {@code ifr}. */
    static String name(MemorySegment ifr) {
        return ifr.getString(0, StandardCharsets.UTF_8);
    }
}

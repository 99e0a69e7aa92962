package io.jvirt.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code .modinfo} section of a kernel module ({@code .ko}, a 64-bit little-endian ELF relocatable): the
 * {@code key=value} strings {@code modinfo} prints. Read here because a kernel package holds no
 * {@code modules.dep} (depmod writes it at install time), so a module's {@code depends=} is the only record of
 * what must be loaded before it. Any thread.
 *
 * @param entries the section's strings in file order, each {@code key=value}
 */
record ModuleInfo(List<String> entries) {
    private static final int ELF_MAGIC = 0x464c457f;
    private static final int SECTION_HEADER_BYTES = 64;

    ModuleInfo {
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code elf}; empty when it is no 64-bit little-endian ELF or has no {@code .modinfo} section (a
     * compressed module, say).
     */
    static Optional<ModuleInfo> parse(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != ELF_MAGIC || b.get(4) != 2 || b.get(5) != 1) {
            return Optional.empty();
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
        if (shentsize < SECTION_HEADER_BYTES
                || shstrndx >= shnum
                || shoff < 0
                || shoff + (long) shnum * shentsize > elf.length) {
            return Optional.empty();
        }
        int names = (int) shoff + shstrndx * shentsize;
        long namesOffset = b.getLong(names + 0x18);
        for (int i = 0; i < shnum; i++) {
            int header = (int) shoff + i * shentsize;
            long nameAt = namesOffset + Integer.toUnsignedLong(b.getInt(header));
            if (".modinfo".equals(cString(elf, nameAt))) {
                long offset = b.getLong(header + 0x18);
                long size = b.getLong(header + 0x20);
                if (offset < 0 || size < 0 || offset + size > elf.length) {
                    return Optional.empty();
                }
                return Optional.of(new ModuleInfo(strings(elf, (int) offset, (int) (offset + size))));
            }
        }
        return Optional.empty();
    }

    /** The modules named by {@code depends=}, in the order given; empty when it depends on none. */
    List<String> depends() {
        return entries.stream()
                .filter(e -> e.startsWith("depends="))
                .flatMap(e -> Arrays.stream(e.substring("depends=".length()).split(",")))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String cString(byte[] elf, long at) {
        if (at < 0 || at >= elf.length) {
            return "";
        }
        int end = (int) at;
        while (end < elf.length && elf[end] != 0) {
            end++;
        }
        return new String(elf, (int) at, end - (int) at, StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(byte[] elf, int from, int to) {
        List<String> out = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            if (elf[i] == 0) {
                if (i > start) {
                    out.add(new String(elf, start, i - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1; // sections pad their strings with runs of NULs
            }
        }
        return out;
    }
}

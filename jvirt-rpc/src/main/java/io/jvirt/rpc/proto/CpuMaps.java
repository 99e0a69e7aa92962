package io.jvirt.rpc.proto;

import io.jvirt.rpc.xdr.XdrCodec;
import java.util.Arrays;
import java.util.List;

/**
 * libvirt's CPU bitmaps as {@code opaque cpumap(s)<MAX>} carries them: one bit per host CPU (bit n%8 of byte n/8
 * for CPU n), one or more maps of equal length back to back. Compared by content.
 */
public record CpuMaps(byte[] bytes) {
    public CpuMaps {
        bytes = bytes.clone();
    }

    /** {@code cpus} as one map of {@code bytes} bytes; CPUs past its end are left out. */
    public static byte[] map(List<Integer> cpus, int bytes) {
        byte[] map = new byte[bytes];
        for (int c : cpus) {
            if (c / 8 < bytes) {
                map[c / 8] |= (byte) (1 << (c % 8));
            }
        }
        return map;
    }

    /** {@code count} maps of {@code maplen} bytes, map i from {@code cpus.get(i)}, the rest empty. */
    public static CpuMaps of(List<List<Integer>> cpus, int count, int maplen) {
        byte[] all = new byte[count * maplen];
        for (int i = 0; i < Math.min(count, cpus.size()); i++) {
            System.arraycopy(map(cpus.get(i), maplen), 0, all, i * maplen, maplen);
        }
        return new CpuMaps(all);
    }

    /** The codec of {@code opaque <max>}. */
    public static XdrCodec<CpuMaps> codec(int max) {
        return XdrCodec.of((out, v) -> out.writeOpaque(v.bytes, max), in -> new CpuMaps(in.readOpaque(max)));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuMaps c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CpuMaps[" + bytes.length + " bytes]";
    }
}

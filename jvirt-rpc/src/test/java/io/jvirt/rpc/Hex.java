package io.jvirt.rpc;

import java.util.HexFormat;

/** Golden bytes in tests: hex with spaces and newlines for readability. */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

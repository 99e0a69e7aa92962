package io.jvirt.remote;

import io.jvirt.rpc.proto.Cookie;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * jvirt-api carries migration cookies as text; libvirt carries them as opaque bytes holding NUL-terminated XML
 * (its QEMU driver rejects a non-empty cookie whose last byte is not NUL). Null or empty text is the empty cookie.
 */
final class CookieText {
    private CookieText() {}

    static Cookie toWire(String text) {
        if (text == null || text.isEmpty()) {
            return Cookie.EMPTY;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return new Cookie(Arrays.copyOf(utf8, utf8.length + 1));
    }

    /** The text before the first NUL; null for an empty cookie. */
    static String fromWire(Cookie cookie) {
        byte[] b = cookie.bytes();
        if (b.length == 0) {
            return null;
        }
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}

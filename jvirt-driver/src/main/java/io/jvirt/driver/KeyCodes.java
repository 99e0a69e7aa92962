package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.util.HashMap;
import java.util.Map;

/**
 * Keycodes of libvirt's {@code virKeycodeSet}s translated to QEMU's "number" keys (qnum: XT set 1 scancodes, the
 * 0xe0 prefix of an extended key folded into bit 7), as {@code send-key} takes them. Known sets: linux (virsh's
 * default, and what its {@code KEY_*} names resolve to), xt, atset1, xt_kbd (the same as linux here) and qnum itself;
 * a key outside the table is libvirt's "cannot translate keycode" error.
 */
final class KeyCodes {
    static final int LINUX = 0;
    static final int XT = 1;
    static final int ATSET1 = 2;
    static final int XT_KBD = 6;
    static final int QNUM = 9;

    private static final String[] SET_NAMES = {
        "linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb", "win32", "qnum"
    };

    /** Linux keycodes above 83 whose scancode differs from the keycode (1 to 83 are the same number). */
    private static final Map<Integer, Integer> LINUX_EXTRA = new HashMap<>();

    static {
        int[][] pairs = {
            {85, 0x76}, {86, 0x56}, {87, 0x57}, {88, 0x58}, {96, 0x9c}, {97, 0x9d}, {98, 0xb5}, {99, 0x54},
            {100, 0xb8}, {102, 0xc7}, {103, 0xc8}, {104, 0xc9}, {105, 0xcb}, {106, 0xcd}, {107, 0xcf}, {108, 0xd0},
            {109, 0xd1}, {110, 0xd2}, {111, 0xd3}, {113, 0xa0}, {114, 0xae}, {115, 0xb0}, {116, 0xde}, {117, 0x59},
            {119, 0xc6}, {125, 0xdb}, {126, 0xdc}, {127, 0xdd}
        };
        for (int[] p : pairs) {
            LINUX_EXTRA.put(p[0], p[1]);
        }
    }

    private KeyCodes() {}

    /** {@code keycode} of {@code codeset} as a qnum key. */
    static int toQnum(int codeset, int keycode) {
        int q = switch (codeset) {
            case LINUX, XT_KBD -> keycode >= 1 && keycode <= 83 ? keycode : LINUX_EXTRA.getOrDefault(keycode, -1);
            case XT -> keycode >= 1 && keycode < 0x80 ? keycode : -1;
            case ATSET1 -> atset1(keycode);
            case QNUM -> keycode >= 1 && keycode <= 0xff ? keycode : -1;
            default -> -1;
        };
        if (q < 0) {
            String set = codeset >= 0 && codeset < SET_NAMES.length ? SET_NAMES[codeset] : String.valueOf(codeset);
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "cannot translate keycode " + Integer.toUnsignedString(keycode) + " of " + set
                            + " codeset to qnum keycode");
        }
        return q;
    }

    private static int atset1(int keycode) {
        if (keycode >= 1 && keycode < 0x80) {
            return keycode;
        }
        if ((keycode & 0xff00) == 0xe000 && (keycode & 0x7f) != 0) {
            return 0x80 | (keycode & 0x7f);
        }
        return -1;
    }
}

package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.domain.DomainObj;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code virDomainSendKey}: the keys, translated to qnum ({@link KeyCodes}), pressed together and released after
 * the hold time by QMP {@code send-key}.
 *
 * <p>Threading: the caller's thread.
 */
final class KeySender {
    /** {@code VIR_DOMAIN_SEND_KEY_MAX_KEYS}. */
    static final int MAX_KEYS = 16;

    private KeySender() {}

    static void send(DomainObj dom, int codeset, int holdMillis, List<Integer> keycodes, int flags) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainSendKey");
        }
        if (keycodes.isEmpty() || keycodes.size() > MAX_KEYS) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.NONE, "nkeycodes must be in range [1, " + MAX_KEYS + "]");
        }
        List<Map<String, Object>> keys = new ArrayList<>();
        for (int code : keycodes) {
            keys.add(Map.of("type", "number", "data", KeyCodes.toQnum(codeset, code)));
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("keys", keys);
        if (holdMillis > 0) {
            args.put("hold-time", holdMillis);
        }
        LiveCalls.modify(dom, "send-key", m -> m.execute("send-key", args));
    }
}

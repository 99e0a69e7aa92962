package io.jvirt.rpc.tls;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of GnuTLS's priority strings jvirt understands ({@code tls_priority}, URI {@code tls_priority=}):
 * {@code NORMAL} (TLS 1.3 and 1.2, JSSE's cipher suites) optionally followed by {@code :-VERS-TLS1.x} tokens that
 * take a version away. Anything else is refused with a clear error rather than silently read differently.
 *
 * @param protocols the JSSE protocol names left enabled, newest first
 */
public record TlsPriority(List<String> protocols) {
    /** libvirt's default. */
    public static final String DEFAULT = "NORMAL";

    public TlsPriority {
        protocols = List.copyOf(protocols);
    }

    public static TlsPriority parse(String text) {
        // split drops trailing empty strings, so ":" or "::" leaves no token at all
        String[] tokens = text.strip().split(":");
        if (tokens.length == 0 || !tokens[0].equals("NORMAL")) {
            throw refuse(text, "it must start with NORMAL");
        }
        List<String> protocols = new ArrayList<>(List.of("TLSv1.3", "TLSv1.2"));
        for (int i = 1; i < tokens.length; i++) {
            switch (tokens[i]) {
                case "-VERS-TLS1.3" -> protocols.remove("TLSv1.3");
                case "-VERS-TLS1.2" -> protocols.remove("TLSv1.2");
                case "-VERS-TLS1.1", "-VERS-TLS1.0", "-VERS-SSL3.0" -> {} // never enabled here
                default -> throw refuse(text, "token '" + tokens[i] + "' is not supported");
            }
        }
        if (protocols.isEmpty()) {
            throw refuse(text, "no TLS version is left");
        }
        return new TlsPriority(protocols);
    }

    private static VirtException refuse(String text, String why) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.RPC,
                "Failed to set TLS session priority to " + text + ": " + why
                        + " (jvirt understands NORMAL with -VERS-TLS1.0 to -VERS-TLS1.3 tokens only)");
    }
}

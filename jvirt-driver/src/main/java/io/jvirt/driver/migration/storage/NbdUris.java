package io.jvirt.driver.migration.storage;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.qmp.NbdAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the destination's NBD server listens and the source connects, from the migration's parameters as libvirt
 * reads them: {@code disks_uri} ({@code tcp://HOST[:PORT]} or {@code unix:///PATH}) wins; else {@code disks_port};
 * else the destination picks a port of the migration range and the source connects to the migration URI's host.
 *
 * <p>Stateless; any thread.
 */
public final class NbdUris {
    private NbdUris() {}

    /**
     * {@code disksUri} parsed: a unix address, or a TCP one whose port is 0 when the URI names none.
     *
     * @throws VirtException INVALID_ARG with libvirt's message for a URI it would refuse
     */
    public static NbdAddress parse(String disksUri) {
        URI uri;
        try {
            uri = new URI(disksUri);
        } catch (URISyntaxException e) {
            throw invalid("Unable to parse URI " + disksUri);
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw invalid("No URI scheme specified: " + disksUri);
        }
        return switch (scheme) {
            case "tcp" -> {
                if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw invalid("URI with tcp scheme did not provide a server part: " + disksUri);
                }
                String host = uri.getHost().startsWith("[")
                        ? uri.getHost().substring(1, uri.getHost().length() - 1)
                        : uri.getHost();
                yield NbdAddress.tcp(host, Math.max(0, uri.getPort()));
            }
            case "unix" -> {
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw invalid("UNIX disks URI does not include path");
                }
                yield NbdAddress.unix(uri.getPath());
            }
            default -> throw invalid("Unsupported scheme in disks URI: " + scheme);
        };
    }

    /** Refuses a {@code disks_port} outside 0–65535, as libvirt does. */
    public static void checkPort(Integer disksPort) {
        if (disksPort != null && (disksPort < 0 || disksPort > 65535)) {
            throw invalid("nbd port must be in range 0-65535");
        }
    }

    private static VirtException invalid(String detail) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, detail);
    }
}

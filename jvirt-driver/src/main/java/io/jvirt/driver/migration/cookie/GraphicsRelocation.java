package io.jvirt.driver.migration.cookie;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.GraphicsDef;
import io.jvirt.config.GraphicsType;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets connected display clients follow the guest. The destination describes where its display listens (cookie
 * section graphics: address, port, TLS port, certificate subject); the source tells QEMU with
 * {@code client_migrate_info} before migrating, so SPICE clients reconnect to the new host when the guest moves.
 * A {@code graphics_uri} parameter overrides the cookie. VNC has no such protocol and is left alone, as libvirt
 * leaves it; a failure here only costs the clients a reconnect, so it is logged, never fatal.
 */
public final class GraphicsRelocation {
    private static final Logger LOG = System.getLogger(GraphicsRelocation.class.getName());

    private GraphicsRelocation() {}

    /** The destination's graphics section for its cookie: its first display, or null when it has none. */
    public static CookieGraphics describe(DomainDef live, Path spiceX509Dir, String fallbackListen) {
        for (GraphicsDef g : live.graphics()) {
            int port = g.port() == null ? -1 : g.port();
            String listen = g.listenAddress() != null ? g.listenAddress() : fallbackListen;
            if (g.type() == GraphicsType.SPICE) {
                int tlsPort = g.tlsPort() == null ? -1 : g.tlsPort();
                String subject = tlsPort > 0 ? GraphicsCertificate.subject(spiceX509Dir) : null;
                return CookieGraphics.spice(port, tlsPort, listen, subject);
            }
            return CookieGraphics.vnc(port, listen);
        }
        return null;
    }

    /**
     * Source side: sends {@code client_migrate_info} for the destination's SPICE display. {@code sourceHost}
     * replaces a wildcard listen address, which names no host a client could reach.
     */
    public static void relocate(
            Monitor monitor, String domain, CookieGraphics target, String graphicsUri, String destinationHost) {
        CookieGraphics where = graphicsUri != null ? fromUri(graphicsUri) : target;
        if (where == null || !where.isSpice() || where.port() <= 0 && where.tlsPort() <= 0) {
            return;
        }
        String host = where.listen();
        if (host == null || host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host)) {
            host = destinationHost;
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("protocol", "spice");
        args.put("hostname", host);
        args.put("port", where.port());
        if (where.tlsPort() > 0) {
            args.put("tls-port", where.tlsPort());
        }
        if (where.certSubject() != null) {
            args.put("cert-subject", where.certSubject());
        }
        try {
            monitor.execute("client_migrate_info", args);
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "domain " + domain + ": display clients will not follow the migration: " + e.getMessage());
        }
    }

    /** {@code spice://host:port/?tlsPort=N&tlsSubject=...} as libvirt's graphics_uri parameter spells it. */
    static CookieGraphics fromUri(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getMessage());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw invalid(text, "it needs a scheme and a host");
        }
        String scheme = uri.getScheme();
        if (!"spice".equals(scheme) && !"vnc".equals(scheme)) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "unsupported graphics type '" + scheme + "'");
        }
        int tlsPort = -1;
        String subject = null;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "tlsPort" -> tlsPort = parsePort(text, value);
                    case "tlsSubject" -> subject = value;
                    default -> {
                        // libvirt ignores unknown query keys too
                    }
                }
            }
        }
        // java.net.URI keeps an IPv6 host's brackets; QEMU wants the bare address.
        String host = uri.getHost().startsWith("[")
                ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return "spice".equals(scheme)
                ? CookieGraphics.spice(uri.getPort(), tlsPort, host, subject)
                : CookieGraphics.vnc(uri.getPort(), host);
    }

    private static int parsePort(String uri, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(uri, "tlsPort '" + value + "' is not a number");
        }
    }

    private static VirtException invalid(String uri, String why) {
        return VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid graphics URI '" + uri + "': " + why);
    }
}

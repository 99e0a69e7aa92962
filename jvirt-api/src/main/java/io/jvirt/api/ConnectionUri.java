package io.jvirt.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed libvirt connection URI: {@code driver[+transport]://[user@][host][:port]/path[?query]}, for
 * example {@code qemu:///embed?root=/tmp/h1} or {@code qemu+unix:///system?socket=/run/jvirt/jvirt-sock}.
 */
public record ConnectionUri(
        String text, String driver, String transport, String host, int port, String path, Map<String, String> params) {

    public ConnectionUri {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static ConnectionUri parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.URI,
                    "unable to parse connection URI '" + text + "': " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.URI, "connection URI '" + text + "' has no driver scheme");
        }
        int plus = scheme.indexOf('+');
        String driver = plus < 0 ? scheme : scheme.substring(0, plus);
        String transport = plus < 0 ? "" : scheme.substring(plus + 1);
        Map<String, String> params = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(
                        URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return new ConnectionUri(
                text,
                driver,
                transport,
                uri.getHost() == null ? "" : uri.getHost(),
                uri.getPort(),
                uri.getPath() == null ? "" : uri.getPath(),
                params);
    }

    public String param(String name) {
        return params.get(name);
    }
}

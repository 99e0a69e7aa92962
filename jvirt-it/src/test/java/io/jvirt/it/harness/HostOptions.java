package io.jvirt.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a {@link HostSet} starts its daemons: the jvirt jar to run, the daemons' keepalive (tests shorten it so a
 * lost peer is noticed in seconds), an optional bandwidth limit on the namespaces' link (tc tbf, Mbit/s), extra
 * libvirtd.conf-style keys for every daemon, jvirt.conf keys for every daemon's driver (written into
 * {@code ROOT/etc/jvirt.conf} before it starts, e.g. {@code migrate_tls_x509_cert_dir}, which the daemon's own
 * config does not pass through), and how long to wait for "jvirtd ready".
 */
public record HostOptions(
        Path jar,
        int keepaliveInterval,
        int keepaliveCount,
        OptionalInt rateMbit,
        Map<String, String> extraConfig,
        Map<String, String> driverConfig,
        Optional<Path> tlsPki,
        Duration readyTimeout) {

    public HostOptions {
        extraConfig = Map.copyOf(extraConfig);
        driverConfig = Map.copyOf(driverConfig);
        if (keepaliveCount < 1) {
            throw new IllegalArgumentException("keepaliveCount must be at least 1, not " + keepaliveCount);
        }
    }

    /** The repository's shaded jar, keepalive 5 s × 5 (jvirtd's defaults), no bandwidth limit. */
    public static HostOptions defaults() {
        return new HostOptions(
                findJar(), 5, 5, OptionalInt.empty(), Map.of(), Map.of(), Optional.empty(), Duration.ofSeconds(60));
    }

    public HostOptions withKeepalive(int interval, int count) {
        return new HostOptions(jar, interval, count, rateMbit, extraConfig, driverConfig, tlsPki, readyTimeout);
    }

    public HostOptions withRateMbit(int mbit) {
        return new HostOptions(
                jar,
                keepaliveInterval,
                keepaliveCount,
                OptionalInt.of(mbit),
                extraConfig,
                driverConfig,
                tlsPki,
                readyTimeout);
    }

    public HostOptions withJar(Path otherJar) {
        return new HostOptions(
                otherJar, keepaliveInterval, keepaliveCount, rateMbit, extraConfig, driverConfig, tlsPki, readyTimeout);
    }

    /** Adds one config key (a value written as given: quote strings yourself, e.g. {@code "\"x\""}). */
    public HostOptions withConfig(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(extraConfig);
        more.put(key, value);
        return new HostOptions(
                jar, keepaliveInterval, keepaliveCount, rateMbit, more, driverConfig, tlsPki, readyTimeout);
    }

    /** Adds one jvirt.conf key for the driver (quoted as {@link #withConfig}). */
    public HostOptions withDriverConfig(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(driverConfig);
        more.put(key, value);
        return new HostOptions(
                jar, keepaliveInterval, keepaliveCount, rateMbit, extraConfig, more, tlsPki, readyTimeout);
    }

    /**
     * Every daemon also listens for qemu+tls on a port of its own, with libvirt's file names in {@code dir}:
     * {@code cacert.pem}, {@code servercert.pem} and {@code serverkey.pem} for the listener, {@code clientcert.pem} and
     * {@code clientkey.pem} for a source daemon dialling another (the directory is the URI's {@code pkipath}).
     */
    public HostOptions withTls(Path dir) {
        return new HostOptions(
                jar,
                keepaliveInterval,
                keepaliveCount,
                rateMbit,
                extraConfig,
                driverConfig,
                Optional.of(dir.toAbsolutePath()),
                readyTimeout);
    }

    /**
     * {@code jvirt-cli/target/jvirt.jar}, looked up from the working directory upwards (the reactor root or a
     * module), or the system property {@code jvirt.jar}.
     */
    static Path findJar() {
        String given = System.getProperty("jvirt.jar");
        if (given != null) {
            return Path.of(given).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("jvirt-cli/target/jvirt.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException(
                "jvirt-cli/target/jvirt.jar not found from " + Path.of("").toAbsolutePath()
                        + "; build it: ./mvnw -q -B -o -pl jvirt-cli install -DskipTests (or set -Djvirt.jar=...)");
    }
}

package io.jvirt.it.harness;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One daemon to start: its name (a, b, …), root directory, host UUID, the address it listens and takes migrations
 * on, its TCP port, its TLS port (used when the options ask for TLS), its migration port range, and the network
 * namespace it runs in (empty: the root namespace).
 */
record HostSpec(
        String name,
        Path root,
        UUID hostUuid,
        String address,
        int tcpPort,
        int tlsPort,
        int migrationPortMin,
        int migrationPortMax,
        Optional<String> namespace) {

    /** The daemon's config file content, libvirtd.conf syntax. */
    String config(HostOptions options) {
        StringBuilder conf = new StringBuilder()
                .append("listen_tcp = 1\n")
                .append("listen_addr = \"")
                .append(address)
                .append("\"\n")
                .append("tcp_port = \"")
                .append(tcpPort)
                .append("\"\n")
                .append("keepalive_interval = ")
                .append(options.keepaliveInterval())
                .append('\n')
                .append("keepalive_count = ")
                .append(options.keepaliveCount())
                .append('\n')
                .append("host_uuid = \"")
                .append(hostUuid)
                .append("\"\n")
                .append("migration_address = \"")
                .append(address)
                .append("\"\n")
                .append("migration_host = \"")
                .append(address)
                .append("\"\n")
                .append("migration_port_min = ")
                .append(migrationPortMin)
                .append('\n')
                .append("migration_port_max = ")
                .append(migrationPortMax)
                .append('\n');
        options.tlsPki()
                .ifPresent(pki -> conf.append("listen_tls = 1\n")
                        .append("tls_port = \"")
                        .append(tlsPort)
                        .append("\"\n")
                        .append(pkiLine("ca_file", pki.resolve("cacert.pem")))
                        .append(pkiLine("crl_file", pki.resolve("cacrl.pem")))
                        .append(pkiLine("cert_file", pki.resolve("servercert.pem")))
                        .append(pkiLine("key_file", pki.resolve("serverkey.pem"))));
        return lines(conf, options.extraConfig());
    }

    private static String pkiLine(String key, Path file) {
        return key + " = \"" + file + "\"\n";
    }

    /** The driver's jvirt.conf content (the daemon merges its own driver keys into it when it starts). */
    String driverConfig(HostOptions options) {
        return lines(new StringBuilder(), options.driverConfig());
    }

    /** Appends one {@code key = value} line per entry to {@code conf}; returns the whole text. */
    private static String lines(StringBuilder conf, Map<String, String> keys) {
        keys.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        return conf.toString();
    }
}

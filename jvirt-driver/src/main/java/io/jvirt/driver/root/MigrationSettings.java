package io.jvirt.driver.root;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Path;

/**
 * How this host receives migrations, from jvirt.conf (qemu.conf's names):
 * <pre>
 * migration_port_min = 49152        # incoming QEMUs listen on the first free port of this range
 * migration_port_max = 49215
 * migration_address = "127.0.0.1"   # where they listen
 * migration_host = "127.0.0.1"      # the address sources are told to connect to (default: migration_address)
 * spice_tls_x509_cert_dir = "/etc/pki/libvirt-spice"   # server-cert.pem's subject goes into the cookie
 * keepalive_interval = 5            # a peer-to-peer source's keepalive towards the destination, in seconds
 * keepalive_count = 5               # unanswered PINGs before the destination counts as lost
 * migration_tunnel_channels = 0     # jvirt's own: a tunnelled migration to a jvirt peer that takes it runs
 *                                   # this many multifd channels, each in its own stream (0: one stream)
 * </pre>
 * and QEMU's own migration TLS, {@link MigrationTlsSettings}.
 * Several hosts on one machine share the port range: a port another one holds is skipped, not an error. The
 * address defaults to loopback, the one address that is the same host for every client of an embedded driver;
 * a daemon's configuration names the address its clients reach it on.
 */
public record MigrationSettings(
        int portMin,
        int portMax,
        String address,
        String host,
        Path spiceX509Dir,
        int keepaliveInterval,
        int keepaliveCount,
        int tunnelChannels,
        MigrationTlsSettings tls) {
    /** QEMU's own ceiling for multifd-channels. */
    public static final int MAX_TUNNEL_CHANNELS = 255;

    public static final MigrationSettings DEFAULT = new MigrationSettings(
            49152,
            49215,
            "127.0.0.1",
            "127.0.0.1",
            Path.of("/etc/pki/libvirt-spice"),
            5,
            5,
            0,
            MigrationTlsSettings.DEFAULT);

    static MigrationSettings load(ConfFile conf, Path file) {
        long min = conf.number("migration_port_min", DEFAULT.portMin());
        long max = conf.number("migration_port_max", DEFAULT.portMax());
        if (min < 1 || max > 65535 || min > max) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX,
                    ErrorDomain.CONF,
                    file + ": migration port range " + min + "-" + max + " is not a range of ports");
        }
        String address = conf.string("migration_address", DEFAULT.address());
        String host = conf.string("migration_host", address);
        long interval = conf.number("keepalive_interval", DEFAULT.keepaliveInterval());
        long count = conf.number("keepalive_count", DEFAULT.keepaliveCount());
        if (interval < 0 || count < 0 || interval > 3600 || count > 1000) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX,
                    ErrorDomain.CONF,
                    file + ": keepalive_interval " + interval + " or keepalive_count " + count + " out of range");
        }
        long channels = conf.number("migration_tunnel_channels", DEFAULT.tunnelChannels());
        if (channels < 0 || channels > MAX_TUNNEL_CHANNELS) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX,
                    ErrorDomain.CONF,
                    file + ": migration_tunnel_channels " + channels + " is not between 0 and " + MAX_TUNNEL_CHANNELS);
        }
        return new MigrationSettings(
                (int) min,
                (int) max,
                address,
                host,
                Path.of(conf.string(
                        "spice_tls_x509_cert_dir", DEFAULT.spiceX509Dir().toString())),
                (int) interval,
                (int) count,
                (int) channels,
                MigrationTlsSettings.load(conf));
    }
}

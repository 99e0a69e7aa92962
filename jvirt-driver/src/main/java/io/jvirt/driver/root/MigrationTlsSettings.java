package io.jvirt.driver.root;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How this host's QEMUs encrypt migrations with their own TLS (VIR_MIGRATE_TLS), from jvirt.conf with qemu.conf's
 * names and defaults:
 * <pre>
 * default_tls_x509_cert_dir = "/etc/pki/qemu"   # ca-cert.pem, server-cert.pem, server-key.pem, client-cert.pem, ...
 * default_tls_x509_verify = 1                   # the server side asks for and checks the client's certificate
 * migrate_tls_x509_cert_dir = "/etc/pki/qemu"   # default: /etc/pki/libvirt-migrate if it exists, else the above
 * migrate_tls_x509_verify = 1                   # default: default_tls_x509_verify
 * migrate_tls_force = 0                         # 1: a migration without VIR_MIGRATE_TLS (or the tunnel) is refused
 * </pre>
 * A directory named explicitly must exist, as libvirt checks when it reads qemu.conf.
 *
 * <p>Immutable; any thread.
 *
 * @param certDir the directory QEMU's {@code tls-creds-x509} objects read
 * @param verify  whether the destination's QEMU requires and checks the source's client certificate
 * @param force   whether migrations without TLS are refused
 */
public record MigrationTlsSettings(Path certDir, boolean verify, boolean force) {
    /** qemu.conf's {@code default_tls_x509_cert_dir}. */
    public static final Path DEFAULT_CERT_DIR = Path.of("/etc/pki/qemu");
    /** The migration-only directory libvirt prefers when it exists and nothing is configured. */
    static final Path MIGRATE_CERT_DIR = Path.of("/etc/pki/libvirt-migrate");

    public static final MigrationTlsSettings DEFAULT = new MigrationTlsSettings(DEFAULT_CERT_DIR, true, false);

    static MigrationTlsSettings load(ConfFile conf) {
        Path defaultDir = explicitDir(conf, "default_tls_x509_cert_dir");
        Path migrateDir = explicitDir(conf, "migrate_tls_x509_cert_dir");
        if (migrateDir == null) {
            if (Files.isDirectory(MIGRATE_CERT_DIR)) {
                migrateDir = MIGRATE_CERT_DIR;
            } else {
                migrateDir = defaultDir != null ? defaultDir : DEFAULT_CERT_DIR;
            }
        }
        boolean defaultVerify = conf.number("default_tls_x509_verify", 1) != 0;
        boolean verify = conf.number("migrate_tls_x509_verify", defaultVerify ? 1 : 0) != 0;
        boolean force = conf.number("migrate_tls_force", 0) != 0;
        return new MigrationTlsSettings(migrateDir, verify, force);
    }

    private static Path explicitDir(ConfFile conf, String key) {
        String value = conf.string(key, null);
        if (value == null) {
            return null;
        }
        Path dir = Path.of(value);
        if (!Files.exists(dir)) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, key + " directory '" + value + "' does not exist");
        }
        return dir;
    }
}

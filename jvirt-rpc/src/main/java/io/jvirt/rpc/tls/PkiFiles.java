package io.jvirt.rpc.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four files of one side of a TLS connection, as libvirt locates them: the CA certificate(s), the optional CRL,
 * this side's certificate and its private key.
 *
 * <ul>
 *   <li>System (root): {@code /etc/pki/CA/cacert.pem}, {@code /etc/pki/CA/cacrl.pem},
 *       {@code /etc/pki/libvirt/{server,client}cert.pem}, {@code /etc/pki/libvirt/private/{server,client}key.pem}.
 *   <li>User (not root): {@code ~/.pki/libvirt/{cacert,cacrl,servercert|clientcert,serverkey|clientkey}.pem}, each
 *       file falling back to the system one when missing, the certificate and key only as a pair.
 *   <li>{@code pkipath=DIR}: the same names flat in DIR (no {@code private/}), with no fallback.
 * </ul>
 *
 * @param caCert the trusted CA certificates (PEM, one or more)
 * @param caCrl  the revocation list; loaded only when the file exists
 * @param cert   this side's certificate (PEM; more certificates after it are its chain)
 * @param key    this side's private key (PEM: PKCS#1, PKCS#8 or SEC1)
 */
public record PkiFiles(Path caCert, Path caCrl, Path cert, Path key) {
    public static final Path SYSTEM_CA_DIR = Path.of("/etc/pki/CA");
    public static final Path SYSTEM_LIBVIRT_DIR = Path.of("/etc/pki/libvirt");

    /** libvirt's files for a root process. */
    public static PkiFiles system(TlsRole role) {
        return new PkiFiles(
                SYSTEM_CA_DIR.resolve("cacert.pem"),
                SYSTEM_CA_DIR.resolve("cacrl.pem"),
                SYSTEM_LIBVIRT_DIR.resolve(role.prefix() + "cert.pem"),
                SYSTEM_LIBVIRT_DIR.resolve("private").resolve(role.prefix() + "key.pem"));
    }

    /** The files flat in {@code dir}, as {@code pkipath=DIR} names them. */
    public static PkiFiles in(Path dir, TlsRole role) {
        return new PkiFiles(
                dir.resolve("cacert.pem"),
                dir.resolve("cacrl.pem"),
                dir.resolve(role.prefix() + "cert.pem"),
                dir.resolve(role.prefix() + "key.pem"));
    }

    /** A non-root process's files: {@code home/.pki/libvirt}, file by file over the system ones. */
    public static PkiFiles user(Path home, TlsRole role) {
        PkiFiles user = in(home.resolve(".pki").resolve("libvirt"), role);
        PkiFiles system = system(role);
        boolean pair = Files.exists(user.cert) && Files.exists(user.key);
        return new PkiFiles(
                Files.exists(user.caCert) ? user.caCert : system.caCert,
                Files.exists(user.caCrl) ? user.caCrl : system.caCrl,
                pair ? user.cert : system.cert,
                pair ? user.key : system.key);
    }

    /**
     * The files libvirt would use: {@code pkipath} when given, else the user's (falling back) when not root, else
     * the system's.
     */
    public static PkiFiles locate(String pkipath, boolean root, Path home, TlsRole role) {
        if (pkipath != null && !pkipath.isEmpty()) {
            return in(Path.of(pkipath), role);
        }
        return root ? system(role) : user(home, role);
    }

    /** Whether this process runs as root, the test libvirt makes to pick system or user files. */
    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}

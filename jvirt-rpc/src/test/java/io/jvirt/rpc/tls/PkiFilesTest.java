package io.jvirt.rpc.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where libvirt looks for its TLS files: system paths, the user's with per-file fallback, pkipath. */
class PkiFilesTest {
    @TempDir
    Path home;

    @Test
    void systemFilesAreLibvirts() {
        assertThat(PkiFiles.system(TlsRole.SERVER))
                .isEqualTo(new PkiFiles(
                        Path.of("/etc/pki/CA/cacert.pem"),
                        Path.of("/etc/pki/CA/cacrl.pem"),
                        Path.of("/etc/pki/libvirt/servercert.pem"),
                        Path.of("/etc/pki/libvirt/private/serverkey.pem")));
        assertThat(PkiFiles.system(TlsRole.CLIENT).key()).isEqualTo(Path.of("/etc/pki/libvirt/private/clientkey.pem"));
    }

    @Test
    void pkipathIsFlatAndFallsBackToNothing() {
        assertThat(PkiFiles.locate("/srv/pki", false, home, TlsRole.CLIENT))
                .isEqualTo(new PkiFiles(
                        Path.of("/srv/pki/cacert.pem"),
                        Path.of("/srv/pki/cacrl.pem"),
                        Path.of("/srv/pki/clientcert.pem"),
                        Path.of("/srv/pki/clientkey.pem")));
    }

    @Test
    void userFilesFallBackFileByFileAndCertificateWithKeyAsAPair() throws IOException {
        Path user = Files.createDirectories(home.resolve(".pki/libvirt"));
        Files.writeString(user.resolve("cacert.pem"), "");
        Files.writeString(user.resolve("clientcert.pem"), ""); // no key beside it: the pair falls back
        PkiFiles f = PkiFiles.locate(null, false, home, TlsRole.CLIENT);
        assertThat(f.caCert()).isEqualTo(user.resolve("cacert.pem"));
        assertThat(f.caCrl()).isEqualTo(Path.of("/etc/pki/CA/cacrl.pem"));
        assertThat(f.cert()).isEqualTo(Path.of("/etc/pki/libvirt/clientcert.pem"));
        assertThat(f.key()).isEqualTo(Path.of("/etc/pki/libvirt/private/clientkey.pem"));
        Files.writeString(user.resolve("clientkey.pem"), "");
        PkiFiles paired = PkiFiles.locate(null, false, home, TlsRole.CLIENT);
        assertThat(paired.cert()).isEqualTo(user.resolve("clientcert.pem"));
        assertThat(paired.key()).isEqualTo(user.resolve("clientkey.pem"));
        assertThat(PkiFiles.locate(null, true, home, TlsRole.CLIENT)).isEqualTo(PkiFiles.system(TlsRole.CLIENT));
    }
}

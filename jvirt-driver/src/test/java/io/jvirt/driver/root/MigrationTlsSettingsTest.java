package io.jvirt.driver.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qemu.conf's migration TLS keys in jvirt.conf: libvirt's defaults, inheritance and directory check. */
class MigrationTlsSettingsTest {
    @TempDir
    Path dir;

    private MigrationTlsSettings load(String text) throws Exception {
        Path file = dir.resolve("jvirt.conf");
        Files.writeString(file, text);
        return MigrationTlsSettings.load(ConfFile.load(file));
    }

    @Test
    void defaultsAreQemusDirectoryVerifiedAndNotForced() throws Exception {
        MigrationTlsSettings tls = load("");
        assertThat(tls.verify()).isTrue();
        assertThat(tls.force()).isFalse();
        assertThat(tls.certDir())
                .isEqualTo(
                        Files.isDirectory(MigrationTlsSettings.MIGRATE_CERT_DIR)
                                ? MigrationTlsSettings.MIGRATE_CERT_DIR
                                : MigrationTlsSettings.DEFAULT_CERT_DIR);
    }

    @Test
    void theMigrationKeysInheritTheDefaultOnes() throws Exception {
        MigrationTlsSettings tls = load(
                "default_tls_x509_cert_dir = \"" + dir + "\"\ndefault_tls_x509_verify = 0\nmigrate_tls_force = 1\n");
        assertThat(tls).isEqualTo(new MigrationTlsSettings(dir, false, true));
        Path own = Files.createDirectories(dir.resolve("migrate"));
        assertThat(load("default_tls_x509_verify = 0\nmigrate_tls_x509_verify = 1\nmigrate_tls_x509_cert_dir = \"" + own
                        + "\"\n"))
                .isEqualTo(new MigrationTlsSettings(own, true, false));
    }

    @Test
    void aDirectoryThatDoesNotExistIsAConfigurationError() {
        Path gone = dir.resolve("gone");
        assertThatThrownBy(() -> load("migrate_tls_x509_cert_dir = \"" + gone + "\"\n"))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONF_SYNTAX);
                    assertThat(e.getMessage())
                            .endsWith("migrate_tls_x509_cert_dir directory '" + gone + "' does not exist");
                });
    }
}

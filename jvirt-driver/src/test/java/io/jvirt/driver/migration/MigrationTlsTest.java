package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.MigrationOptions.Side;
import io.jvirt.driver.root.MigrationTlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The destination's credentials object and the files each side needs, as QEMU's object-add checks them. */
class MigrationTlsTest {
    @TempDir
    Path dir;

    @Test
    void theServerVerifiesClientsAsConfiguredAndTheClientAlways() {
        assertThat(MigrationTls.objectProps(new MigrationTlsSettings(dir, false, false), Side.DESTINATION))
                .containsEntry("endpoint", "server")
                .containsEntry("verify-peer", false)
                .containsEntry("dir", dir.toString());
        assertThat(MigrationTls.objectProps(new MigrationTlsSettings(dir, true, false), Side.DESTINATION))
                .containsEntry("verify-peer", true);
        assertThat(MigrationTls.objectProps(new MigrationTlsSettings(dir, false, false), Side.SOURCE))
                .containsEntry("endpoint", "client")
                .containsEntry("verify-peer", true);
    }

    @Test
    void theServerNeedsItsCertificateAndKeyTheClientOnlyTheCa() throws Exception {
        MigrationTlsSettings settings = new MigrationTlsSettings(dir, true, false);
        Files.writeString(dir.resolve(MigrationTls.CA_CERT), "x");
        Files.writeString(dir.resolve(MigrationTls.SERVER_CERT), "x");

        MigrationTls.checkFiles(settings, Side.SOURCE);
        assertThatThrownBy(() -> MigrationTls.checkFiles(settings, Side.DESTINATION))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage())
                            .endsWith("Unable to access credentials " + dir.resolve("server-key.pem")
                                    + ": No such file or directory");
                });
        Files.writeString(dir.resolve(MigrationTls.SERVER_KEY), "x");
        MigrationTls.checkFiles(settings, Side.DESTINATION);
    }
}

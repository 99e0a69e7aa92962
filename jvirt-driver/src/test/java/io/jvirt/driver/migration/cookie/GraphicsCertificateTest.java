package io.jvirt.driver.migration.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads subjects of certificates made here with {@code openssl req -x509} (keys stay in the temporary
 * directory), compared with openssl's own RFC 2253 rendering where the two spell attributes alike.
 */
class GraphicsCertificateTest {
    @TempDir
    Path dir;

    private String openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
            assertThat(p.exitValue()).as("openssl %s: %s", cmd, out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void makeCertificate(String subject) throws IOException, InterruptedException {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                subject,
                "-keyout",
                "server-key.pem",
                "-out",
                GraphicsCertificate.FILE_NAME);
    }

    @Test
    void subjectIsInRfc4514OrderLikeGnutls() throws Exception {
        makeCertificate("/C=CZ/L=Brno/O=Example Org/CN=dst.example.org");

        assertThat(GraphicsCertificate.subject(dir)).isEqualTo("CN=dst.example.org,O=Example Org,L=Brno,C=CZ");
    }

    @Test
    void subjectMatchesOpensslsRfc2253Rendering() throws Exception {
        makeCertificate("/C=DE/ST=Berlin/O=Example\\, Inc./OU=Virt\\+Ops/CN=host-1.example.org");
        String fromOpenssl = openssl(
                        "x509", "-in", GraphicsCertificate.FILE_NAME, "-noout", "-subject", "-nameopt", "RFC2253")
                .strip()
                .replaceFirst("^subject=", "");

        assertThat(GraphicsCertificate.subject(dir)).isEqualTo(fromOpenssl);
        assertThat(fromOpenssl).startsWith("CN=host-1.example.org,OU=Virt\\+Ops,O=Example\\, Inc.,");
    }

    @Test
    void attributesUseGnutlsNames() throws Exception {
        makeCertificate("/C=CZ/CN=h/emailAddress=admin@example.org/serialNumber=42");

        assertThat(GraphicsCertificate.subject(dir)).isEqualTo("serialNumber=42,EMAIL=admin@example.org,CN=h,C=CZ");
    }

    @Test
    void noCertificateFileGivesNull() {
        assertThat(GraphicsCertificate.subject(dir)).isNull();
        assertThat(GraphicsCertificate.subject(dir.resolve("missing-dir"))).isNull();
    }

    @Test
    void fileThatIsNotACertificateIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(
                dir.resolve(GraphicsCertificate.FILE_NAME),
                "-----BEGIN CERTIFICATE-----\n" + "bm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> GraphicsCertificate.subject(dir)).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
            assertThat(e.getMessage()).contains(file.toString());
        });
    }

    @Test
    void oversizeFileIsRefusedNamingIt() throws IOException {
        Path file =
                Files.write(dir.resolve(GraphicsCertificate.FILE_NAME), new byte[GraphicsCertificate.MAX_BYTES + 1]);

        assertThatThrownBy(() -> GraphicsCertificate.subject(dir)).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
            assertThat(e.getMessage()).contains(file.toString(), "larger than");
        });
    }

    @Test
    void unreadableCertificateIsASystemError() throws IOException {
        Files.createDirectory(dir.resolve(GraphicsCertificate.FILE_NAME));

        assertThatThrownBy(() -> GraphicsCertificate.subject(dir))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_ERROR));
    }
}

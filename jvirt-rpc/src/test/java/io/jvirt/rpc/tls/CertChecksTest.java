package io.jvirt.rpc.tls;

import static io.jvirt.rpc.tls.TestCerts.ca;
import static io.jvirt.rpc.tls.TestCerts.client;
import static io.jvirt.rpc.tls.TestCerts.make;
import static io.jvirt.rpc.tls.TestCerts.server;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.VirtException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libvirt's start-up checks of its own files, the cases of libvirt's {@code tests/virnettlscontexttest.c}: which CA,
 * server and client certificates a daemon or client accepts as its own, and libvirt's message for those it refuses.
 */
class CertChecksTest {
    private static final X509Certificate CA = make(ca("libvirt CA"), null);

    @TempDir
    Path dir;

    private void sane(TlsRole role, X509Certificate caCert, X509Certificate cert) {
        Path caFile = TestCerts.write(dir.resolve("ca.pem"), caCert);
        Path certFile = TestCerts.write(dir.resolve("cert.pem"), cert);
        CertChecks.sanity(role, caFile, certFile, Instant.now());
    }

    private void accepted(TlsRole role, X509Certificate caCert, X509Certificate cert) {
        assertThatCode(() -> sane(role, caCert, cert)).doesNotThrowAnyException();
    }

    private void refused(TlsRole role, X509Certificate caCert, X509Certificate cert, String message) {
        assertThatThrownBy(() -> sane(role, caCert, cert))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining(message);
    }

    @Test
    void perfectCaServerAndClient() {
        accepted(TlsRole.SERVER, CA, make(server("libvirt.org"), CA));
        accepted(TlsRole.CLIENT, CA, make(client("libvirt"), CA));
    }

    @Test
    void caBasicConstraintsNeedNotBeCritical() {
        X509Certificate ca = make(ca("libvirt CA").withBasic(true, false), null);
        accepted(TlsRole.SERVER, ca, make(server("libvirt.org"), ca));
    }

    @Test
    void caWithoutBasicConstraintsIsRefused() {
        X509Certificate ca = make(ca("libvirt CA").withBasic(null, false), null);
        refused(TlsRole.SERVER, ca, make(server("libvirt.org"), ca), "is missing basic constraints for a CA");
    }

    @Test
    void caThatMayOnlySignDataIsRefusedWhenCritical() {
        X509Certificate ca = make(ca("libvirt CA").withKeyUsage(KeyUsage.digitalSignature, true), null);
        refused(TlsRole.SERVER, ca, make(server("libvirt.org"), ca), "usage does not permit certificate signing");
    }

    @Test
    void caThatMayOnlySignDataIsAWarningWhenNotCritical() {
        X509Certificate ca = make(ca("libvirt CA").withKeyUsage(KeyUsage.digitalSignature, false), null);
        accepted(TlsRole.SERVER, ca, make(server("libvirt.org"), ca));
    }

    @Test
    void leafThatSaysCaIsRefused() {
        refused(
                TlsRole.SERVER,
                CA,
                make(server("libvirt.org").withBasic(true, true), CA),
                "basic constraints show a CA, but we need one for a server");
    }

    @Test
    void leavesWithoutUsagesOrWithExtraOnesPass() {
        accepted(
                TlsRole.SERVER,
                CA,
                make(server("libvirt.org").withKeyUsage(null, false).withPurposes(List.of(), false), CA));
        accepted(
                TlsRole.CLIENT,
                CA,
                make(
                        client("libvirt")
                                .withKeyUsage(
                                        KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement,
                                        true),
                        CA));
        accepted(
                TlsRole.SERVER,
                CA,
                make(
                        server("libvirt.org")
                                .withPurposes(
                                        List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), true),
                        CA));
        accepted(
                TlsRole.CLIENT,
                CA,
                make(
                        client("libvirt")
                                .withPurposes(
                                        List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), true),
                        CA));
    }

    @Test
    void leafThatMayOnlySignCertificatesIsRefusedWhenCritical() {
        refused(
                TlsRole.SERVER,
                CA,
                make(server("libvirt.org").withKeyUsage(KeyUsage.keyCertSign, true), CA),
                "usage does not permit digital signature");
        accepted(TlsRole.SERVER, CA, make(server("libvirt.org").withKeyUsage(KeyUsage.keyCertSign, false), CA));
    }

    @Test
    void wrongPurposeIsRefusedWhenCriticalOnly() {
        refused(
                TlsRole.SERVER,
                CA,
                make(server("libvirt.org").withPurposes(List.of(KeyPurposeId.id_kp_clientAuth), true), CA),
                "purpose does not allow use for with a TLS server");
        refused(
                TlsRole.CLIENT,
                CA,
                make(client("libvirt").withPurposes(List.of(KeyPurposeId.id_kp_serverAuth), true), CA),
                "purpose does not allow use for with a TLS client");
        accepted(
                TlsRole.CLIENT,
                CA,
                make(client("libvirt").withPurposes(List.of(KeyPurposeId.id_kp_serverAuth), false), CA));
    }

    @Test
    void anyOtherPurposeAllowsBothRolesButAnyExtendedKeyUsageAloneAllowsNeither() {
        accepted(TlsRole.SERVER, CA, make(server("libvirt.org").withPurposes(List.of(TestCerts.other()), true), CA));
        refused(
                TlsRole.SERVER,
                CA,
                make(server("libvirt.org").withPurposes(List.of(KeyPurposeId.anyExtendedKeyUsage), true), CA),
                "purpose does not allow use for with a TLS server");
    }

    @Test
    void expiredOrFutureCertificatesAreRefused() {
        Duration day = Duration.ofDays(1);
        X509Certificate expiredCa = make(ca("libvirt CA").withValidity(day.multipliedBy(-2), day.negated()), null);
        refused(TlsRole.SERVER, expiredCa, make(server("libvirt.org"), expiredCa), "The CA certificate");
        X509Certificate futureCa = make(ca("libvirt CA").withValidity(day, day.multipliedBy(2)), null);
        refused(TlsRole.SERVER, futureCa, make(server("libvirt.org"), futureCa), "is not yet active");
        refused(
                TlsRole.SERVER,
                CA,
                make(server("libvirt.org").withValidity(day.multipliedBy(-2), day.negated()), CA),
                "The server certificate " + dir.resolve("cert.pem") + " has expired");
        refused(
                TlsRole.CLIENT,
                CA,
                make(client("libvirt").withValidity(day, day.multipliedBy(2)), CA),
                "The client certificate " + dir.resolve("cert.pem") + " is not yet active");
    }

    @Test
    void aCertificateOfAnotherCaFailsValidation() {
        X509Certificate other = make(ca("libvirt CA 1"), null);
        refused(
                TlsRole.SERVER,
                CA,
                make(server("libvirt.org"), other),
                "failed validation against " + dir.resolve("ca.pem") + ": The certificate hasn't got a known issuer.");
    }

    @Test
    void aThreeLevelChainIsFine() {
        X509Certificate intermediate = make(ca("libvirt CA 2"), CA);
        Path caFile = TestCerts.write(dir.resolve("ca.pem"), CA, intermediate);
        Path certFile = TestCerts.write(dir.resolve("cert.pem"), make(server("libvirt.org"), intermediate));
        assertThatCode(() -> CertChecks.sanity(TlsRole.SERVER, caFile, certFile, Instant.now()))
                .doesNotThrowAnyException();
    }

    @Test
    void missingFilesAreRefusedWhenTheContextLoads() {
        PkiFiles files = PkiFiles.in(dir, TlsRole.SERVER);
        assertThatThrownBy(() -> TlsContext.create(new TlsContext.Settings(
                        TlsRole.SERVER, files, true, true, java.util.Optional.empty(), TlsPriority.parse("NORMAL"))))
                .isInstanceOf(VirtException.class)
                .hasMessage(
                        "Cannot read CA certificate '" + dir.resolve("cacert.pem") + "': No such file or directory");
    }
}

package io.jvirt.rpc.tls;

import static io.jvirt.rpc.tls.TestCerts.ca;
import static io.jvirt.rpc.tls.TestCerts.client;
import static io.jvirt.rpc.tls.TestCerts.make;
import static io.jvirt.rpc.tls.TestCerts.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check of the peer after the handshake, the cases of libvirt's {@code tests/virnettlssessiontest.c}: a client
 * certificate of another CA, the server name against the host asked for (subjectAltName before CN), the DN list,
 * chains; plus revocation and expiry, which libvirt's session test leaves to GnuTLS.
 */
class TlsPeerCheckTest {
    private static final X509Certificate CA = make(ca("libvirt CA"), null);
    private static final X509Certificate SERVER = make(server("libvirt.org"), CA);
    private static final X509Certificate CLIENT = make(client("libvirt"), CA);

    @TempDir
    Path dir;

    private TlsContext context(TlsRole role, Optional<List<String>> dns, X509Certificate... cas) {
        PkiFiles files = PkiFiles.in(dir, role);
        TestCerts.write(files.caCert(), (Object[]) cas);
        TestCerts.write(files.cert(), role == TlsRole.SERVER ? SERVER : CLIENT);
        TestCerts.write(files.key(), TestCerts.KEY.getPrivate());
        return TlsContext.create(
                new TlsContext.Settings(role, files, false, true, dns, TlsPriority.parse("NORMAL")), Clock.systemUTC());
    }

    private TlsContext serverCtx(Optional<List<String>> dns) {
        return context(TlsRole.SERVER, dns, CA);
    }

    private static void refusedWith(Runnable check, String reason) {
        assertThatThrownBy(check::run).isInstanceOf(VirtException.class).hasMessage(reason);
    }

    @Test
    void perfectPairPassesBothWays() {
        assertThat(serverCtx(Optional.empty()).validate(List.of(CLIENT), null)).isEqualTo("C=UK,CN=libvirt");
        assertThat(context(TlsRole.CLIENT, Optional.empty(), CA).validate(List.of(SERVER), "libvirt.org"))
                .isEqualTo("C=UK,CN=libvirt.org");
    }

    @Test
    void certificatesOfAnotherCaFailOnBothSides() {
        X509Certificate altCa = make(ca("libvirt CA 1"), null);
        X509Certificate altClient = make(client("libvirt"), altCa);
        refusedWith(
                () -> serverCtx(Optional.empty()).validate(List.of(altClient), null),
                "Certificate failed validation: The certificate hasn't got a known issuer.");
        refusedWith(
                () -> context(TlsRole.CLIENT, Optional.empty(), altCa).validate(List.of(SERVER), "libvirt.org"),
                "Certificate failed validation: The certificate hasn't got a known issuer.");
    }

    @Test
    void altNamesHideTheCommonName() {
        TlsContext c = context(TlsRole.CLIENT, Optional.empty(), CA);
        X509Certificate alt1 = make(
                server("libvirt.org")
                        .withAltNames(
                                List.of("www.libvirt.org", "libvirt.org"), List.of("192.168.122.1", "fec0::dead:beaf")),
                CA);
        X509Certificate alt2 = make(
                server("libvirt.org")
                        .withAltNames(
                                List.of("www.libvirt.org", "wiki.libvirt.org"),
                                List.of("192.168.122.1", "fec0::dead:beaf")),
                CA);
        assertThat(c.validate(List.of(alt1), "libvirt.org")).isNotEmpty();
        assertThat(c.validate(List.of(alt1), "www.libvirt.org")).isNotEmpty();
        refusedWith(
                () -> c.validate(List.of(alt1), "wiki.libvirt.org"),
                "Certificate [session] owner does not match the hostname wiki.libvirt.org");
        refusedWith(
                () -> c.validate(List.of(alt2), "libvirt.org"),
                "Certificate [session] owner does not match the hostname libvirt.org");
        assertThat(c.validate(List.of(alt2), "wiki.libvirt.org")).isNotEmpty();
        assertThat(c.validate(List.of(alt2), "192.168.122.1")).isNotEmpty();
        assertThat(c.validate(List.of(alt2), "fec0::dead:beaf")).isNotEmpty();
        refusedWith(
                () -> c.validate(List.of(alt2), "192.168.122.2"),
                "Certificate [session] owner does not match the hostname 192.168.122.2");
    }

    /** A wildcard names one label of a host name; it never matches an IP address written as a host. */
    @Test
    void wildcardsMatchNamesButNeverAnAddress() {
        TlsContext c = context(TlsRole.CLIENT, Optional.empty(), CA);
        X509Certificate wild =
                make(server("libvirt.org").withAltNames(List.of("*.libvirt.org", "*.0.0.1"), List.of()), CA);
        assertThat(c.validate(List.of(wild), "www.libvirt.org")).isNotEmpty();
        refusedWith(
                () -> c.validate(List.of(wild), "10.0.0.1"),
                "Certificate [session] owner does not match the hostname 10.0.0.1");
    }

    @Test
    void distinguishedNameListIsGlobbed() {
        String refused = "Client's Distinguished Name is not on the list of allowed clients (tls_allowed_dn_list).  Use"
                + " 'virt-pki-query-dn clientcert.pem' to view the Distinguished Name field in the client certificate,"
                + " or run this daemon with --verbose option.";
        refusedWith(() -> serverCtx(Optional.of(List.of("C=UK,CN=dogfood"))).validate(List.of(CLIENT), null), refused);
        assertThat(serverCtx(Optional.of(List.of("C=UK,CN=libvirt"))).validate(List.of(CLIENT), null))
                .isNotEmpty();
        assertThat(serverCtx(Optional.of(List.of("C=UK,CN=dogfood", "C=UK,CN=libvirt")))
                        .validate(List.of(CLIENT), null))
                .isNotEmpty();
        refusedWith(
                () -> serverCtx(Optional.of(List.of("C=UK,CN=libvirtstuff"))).validate(List.of(CLIENT), null), refused);
        assertThat(serverCtx(Optional.of(List.of("C=UK,CN=libvirt*"))).validate(List.of(CLIENT), null))
                .isNotEmpty();
        assertThat(serverCtx(Optional.of(List.of("C=UK,CN=*virt*"))).validate(List.of(CLIENT), null))
                .isNotEmpty();
        refusedWith(() -> serverCtx(Optional.of(List.of())).validate(List.of(CLIENT), null), refused);
    }

    @Test
    void chainsThroughIntermediatesVerify() {
        X509Certificate root = make(ca("libvirt root"), null);
        X509Certificate level1 = make(ca("libvirt level 1"), root);
        X509Certificate level2 = make(ca("libvirt level 2"), level1);
        X509Certificate leaf = make(client("libvirt"), level2);
        TlsContext s = context(TlsRole.SERVER, Optional.empty(), root);
        assertThat(s.validate(List.of(leaf, level2, level1), null)).isEqualTo("C=UK,CN=libvirt");
        refusedWith(
                () -> s.validate(List.of(leaf, level2), null),
                "Certificate failed validation: The certificate hasn't got a known issuer.");
    }

    @Test
    void issuersMustBeAllowedToSignThatDeep() {
        X509Certificate root = make(ca("libvirt root"), null, "SHA256withRSA", 0);
        X509Certificate level1 = make(ca("libvirt level 1"), root);
        X509Certificate leaf1 = make(client("libvirt"), level1);
        X509Certificate leaf0 = make(client("libvirt"), root);
        TlsContext s = context(TlsRole.SERVER, Optional.empty(), root);
        assertThat(s.validate(List.of(leaf0), null)).isEqualTo("C=UK,CN=libvirt");
        refusedWith(
                () -> s.validate(List.of(leaf1, level1), null),
                "Certificate failed validation: The certificate is not trusted.");
        // An intermediate whose key usage leaves out keyCertSign signs no certificate, critical or not.
        X509Certificate noSign = make(ca("libvirt CRL-only CA").withKeyUsage(KeyUsage.cRLSign, false), CA);
        refusedWith(
                () -> serverCtx(Optional.empty()).validate(List.of(make(client("libvirt"), noSign), noSign), null),
                "Certificate failed validation: The certificate is not trusted.");
    }

    @Test
    void md5SignaturesAreInsecure() {
        X509Certificate weak = make(client("libvirt"), CA, "MD5withRSA", null);
        refusedWith(
                () -> serverCtx(Optional.empty()).validate(List.of(weak), null),
                "Certificate failed validation: The certificate uses an insecure algorithm");
    }

    @Test
    void revokedAndExpiredPeersFail() {
        X509Certificate revoked = make(client("libvirt"), CA);
        TlsContext s = serverCtx(Optional.empty());
        TestCerts.write(dir.resolve("cacrl.pem"), TestCerts.crl(CA, revoked));
        TlsContext withCrl = serverCtx(Optional.empty());
        assertThat(s.validate(List.of(revoked), null)).isNotEmpty();
        refusedWith(
                () -> withCrl.validate(List.of(revoked), null),
                "Certificate failed validation: The certificate has been revoked.");
        Duration day = Duration.ofDays(1);
        X509Certificate expired = make(client("libvirt").withValidity(day.multipliedBy(-2), day.negated()), CA);
        refusedWith(
                () -> s.validate(List.of(expired), null),
                "Certificate failed validation: The certificate is not trusted.");
    }

    @Test
    void failureIsAuthFailedUnlessVerificationIsOff() {
        PkiFiles files = PkiFiles.in(dir, TlsRole.SERVER);
        serverCtx(Optional.empty());
        TlsContext strict = TlsContext.create(new TlsContext.Settings(
                TlsRole.SERVER, files, true, true, Optional.of(List.of()), TlsPriority.parse("NORMAL")));
        TlsContext lax = TlsContext.create(new TlsContext.Settings(
                TlsRole.SERVER, files, true, false, Optional.of(List.of()), TlsPriority.parse("NORMAL")));
        assertThat(lax.checkPeerChain(List.of(CLIENT), null)).isEmpty();
        assertThatThrownBy(() -> strict.checkPeerChain(List.of(CLIENT), null))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED))
                .hasMessage("authentication failed: Failed to verify peer's certificate");
    }

    @Test
    void priorityStringsBeyondVersionsAreRefused() {
        assertThat(TlsPriority.parse("NORMAL").protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(TlsPriority.parse("NORMAL:-VERS-TLS1.3").protocols()).containsExactly("TLSv1.2");
        assertThatThrownBy(() -> TlsPriority.parse("SECURE256"))
                .hasMessageContaining("Failed to set TLS session priority to SECURE256");
        assertThatThrownBy(() -> TlsPriority.parse("NORMAL:-VERS-TLS1.3:-VERS-TLS1.2"))
                .hasMessageContaining("no TLS version is left");
        assertThatThrownBy(() -> TlsPriority.parse("NORMAL:+ARCFOUR-128")).hasMessageContaining("'+ARCFOUR-128'");
    }
}

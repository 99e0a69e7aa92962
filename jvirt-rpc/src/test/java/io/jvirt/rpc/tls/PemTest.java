package io.jvirt.rpc.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys as certtool, openssl and BouncyCastle write them: PKCS#1, PKCS#8 and SEC1. */
class PemTest {
    @TempDir
    Path dir;

    @Test
    void readsPkcs1RsaKeys() throws Exception {
        Path f = TestCerts.write(dir.resolve("k.pem"), TestCerts.KEY.getPrivate());
        assertThat(Files.readString(f)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Pem.privateKey(f)).isEqualTo(TestCerts.KEY.getPrivate());
    }

    @Test
    void readsPkcs8Keys() throws Exception {
        Path f = TestCerts.write(dir.resolve("k.pem"), new JcaPKCS8Generator(TestCerts.KEY.getPrivate(), null));
        assertThat(Files.readString(f)).contains("BEGIN PRIVATE KEY");
        assertThat(Pem.privateKey(f).getEncoded())
                .isEqualTo(TestCerts.KEY.getPrivate().getEncoded());
    }

    @Test
    void readsSec1EcKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        PrivateKey ec = g.generateKeyPair().getPrivate();
        // SEC1 with its curve inside, as openssl and certtool write it.
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
        ECPrivateKey sec1 = new ECPrivateKey(
                256,
                ((java.security.interfaces.ECPrivateKey) ec).getS(),
                info.getPrivateKeyAlgorithm().getParameters());
        Path f = TestCerts.write(dir.resolve("k.pem"), new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        assertThat(Files.readString(f)).contains("BEGIN EC PRIVATE KEY");
        assertThat(Pem.privateKey(f).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void fileWithoutKeyIsAnError() throws Exception {
        Path f = Files.writeString(dir.resolve("k.pem"), "nothing here\n");
        assertThatThrownBy(() -> Pem.privateKey(f))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("no private key");
    }
}

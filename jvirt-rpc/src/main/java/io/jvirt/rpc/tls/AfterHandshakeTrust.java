package io.jvirt.rpc.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets every peer certificate through the handshake, on purpose: libvirt checks the peer only after the handshake
 * ({@link TlsContext#checkPeer}), and a server refuses by closing without its confirmation byte rather than with a
 * TLS alert, so a JSSE refusal inside the handshake would give clients a different error than libvirtd's. No CA is
 * announced in the certificate request: GnuTLS clients (virsh) then withhold a certificate whose issuer they cannot
 * match to the list, and libvirt's clients have one certificate to send anyway. Stateless, thread-safe.
 */
final class AfterHandshakeTrust extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // checked after the handshake
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // checked after the handshake
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // checked after the handshake
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // checked after the handshake
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // checked after the handshake
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // checked after the handshake
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

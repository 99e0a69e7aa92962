package io.jvirt.rpc.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets every peer certificate through the handshake, on purpose: libvirt checks the peer only after the handshake
 * ({@link TlsContext#checkPeer}), and a server refuses by closing without its confirmation byte rather than with a
 * TLS alert, so a JSSE refusal inside the handshake would give clients a different error than libvirtd's. The CAs
 * are still announced, so a client with several certificates can pick. Immutable, thread-safe.
 */
final class AfterHandshakeTrust extends X509ExtendedTrustManager {
    private final X509Certificate[] issuers;

    AfterHandshakeTrust(List<X509Certificate> cas) {
        this.issuers = cas.toArray(X509Certificate[]::new);
    }

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
        return issuers.clone();
    }
}

/**
 * libvirt's x509 TLS for {@code qemu+tls://}, shared by the daemon (server) and the client: where the PEM files are
 * ({@link PkiFiles}), reading them ({@link Pem}), libvirt's certificate checks with its error messages
 * ({@link CertChecks}, {@link PeerChain}, {@link HostnameMatch}, {@link DnPattern}), the priority string
 * ({@link TlsPriority}) and the JSSE context and session that use them ({@link TlsContext}, {@link TlsChannel}).
 * JSSE does the TLS itself; it is told to accept any peer certificate during the handshake, because libvirt checks
 * the peer after the handshake and answers a refusal its own way (the server closes without its confirmation byte).
 */
package io.jvirt.rpc.tls;

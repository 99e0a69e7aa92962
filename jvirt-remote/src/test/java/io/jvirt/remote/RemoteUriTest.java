package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ConnectionDriver;
import io.jvirt.api.ConnectionUri;
import io.jvirt.rpc.tls.PkiFiles;
import io.jvirt.rpc.tls.TlsContext;
import io.jvirt.rpc.tls.TlsRole;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Which URIs the remote driver claims, where they lead and what name goes into CONNECT_OPEN. */
class RemoteUriTest {

    private static RemoteUri parse(String uri) {
        return RemoteUri.parse(ConnectionUri.parse(uri), RemoteOptions.DEFAULTS);
    }

    @Test
    void unixSocketUriSendsTheUriWithoutTransportOrSocket() {
        RemoteUri u = parse("qemu+unix:///system?socket=/tmp/x/sock");
        assertThat(u.address()).isEqualTo(UnixDomainSocketAddress.of("/tmp/x/sock"));
        assertThat(u.openName()).isEqualTo("qemu:///system");
        assertThat(u.options().readOnly()).isFalse();
    }

    @Test
    void defaultsToJvirtSocketsAndReadOnlyPicksTheRoSocket() {
        assertThat(parse("qemu:///system").address()).isEqualTo(UnixDomainSocketAddress.of("/run/jvirt/jvirt-sock"));
        RemoteUri ro = parse("qemu+unix:///system?readonly=1");
        assertThat(ro.address()).isEqualTo(UnixDomainSocketAddress.of("/run/jvirt/jvirt-sock-ro"));
        assertThat(ro.options().readOnly()).isTrue();
        assertThat(ro.openName()).isEqualTo("qemu:///system");
    }

    @Test
    void tcpUriDefaultsToPort16509AndKeepsServerQuery() {
        RemoteUri u = parse("qemu+tcp://10.0.0.2/system?keepalive_interval=0.5&keepalive_count=2&foo=bar");
        assertThat(((InetSocketAddress) u.address()).getPort()).isEqualTo(16509);
        assertThat(((InetSocketAddress) u.address()).getHostString()).isEqualTo("10.0.0.2");
        assertThat(u.openName()).isEqualTo("qemu:///system?foo=bar");
        assertThat(u.options().keepaliveInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(u.options().keepaliveCount()).isEqualTo(2);
        assertThat(((InetSocketAddress) parse("qemu+tcp://h:1234/system").address()).getPort())
                .isEqualTo(1234);
    }

    @Test
    void tlsUriDefaultsToPort16514AndTakesLibvirtsClientOptions() {
        assertThat(RemoteUri.accepts(ConnectionUri.parse("qemu+tls://h/system")))
                .isTrue();
        RemoteUri u = parse("qemu+tls://host.example/system?pkipath=/srv/pki&no_verify=1&foo=bar");
        assertThat(((InetSocketAddress) u.address()).getPort()).isEqualTo(16514);
        assertThat(u.openName()).isEqualTo("qemu:///system?foo=bar");
        TlsContext.Settings tls = u.tls().orElseThrow();
        assertThat(tls.role()).isEqualTo(TlsRole.CLIENT);
        assertThat(tls.files()).isEqualTo(PkiFiles.in(Path.of("/srv/pki"), TlsRole.CLIENT));
        assertThat(tls.requireValidPeer()).isFalse();
        assertThat(tls.sanityCheck()).isTrue();
        assertThat(parse("qemu+tls://h:1234/system?no_sanity=1")
                        .tls()
                        .orElseThrow()
                        .sanityCheck())
                .isFalse();
        assertThat(parse("qemu+tcp://h/system").tls()).isEmpty();
        assertThatThrownBy(() -> parse("qemu+tls://h/system?tls_priority=SECURE128"))
                .hasMessageContaining("Failed to set TLS session priority to SECURE128");
        // As libvirt: an integer; "false" is refused, never read as "on", and 00 leaves the checks on.
        assertThatThrownBy(() -> parse("qemu+tls://h/system?no_verify=false"))
                .hasMessage("invalid argument: Failed to parse value of URI component no_verify");
        assertThat(parse("qemu+tls://h/system?no_verify=00").tls().orElseThrow().requireValidPeer())
                .isTrue();
    }

    @Test
    void neverClaimsEmbedOrUnknownTransports() {
        assertThat(RemoteUri.accepts(ConnectionUri.parse("qemu:///embed?root=/tmp/h")))
                .isFalse();
        assertThat(RemoteUri.accepts(ConnectionUri.parse("qemu+libssh2://h/system")))
                .isFalse();
        assertThat(RemoteUri.accepts(ConnectionUri.parse("qemu:///session"))).isFalse();
        assertThat(RemoteUri.accepts(ConnectionUri.parse("test+unix:///default")))
                .isTrue();
    }

    @Test
    void registeredWithServiceLoader() {
        assertThat(ServiceLoader.load(ConnectionDriver.class).stream().map(ServiceLoader.Provider::type))
                .contains(RemoteConnectionDriver.class);
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The stock virsh over {@code qemu+tls://} to a jvirtd, with certificates certtool made as libvirt's TLS guide makes
 * them (no guest boots): a client with a good certificate lists, defines and undefines domains; each refusal gives
 * virsh the error libvirtd would cause: a server refusing the client (unknown CA, expired, revoked, DN not on
 * {@code tls_allowed_dn_list}, no certificate) closes without its confirmation byte, and a server certificate for
 * another host is refused by virsh itself. The Java client goes the same way.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsVirshIT {
    private TwoDaemons hosts;
    private TestPki pki;
    private int port;

    @BeforeAll
    void start() throws Exception {
        hosts = TwoDaemons.none("jvirtd-tls-it-");
        pki = TestPki.make(hosts.root("pki"));
        port = pki.startTlsHost(hosts, "A");
    }

    @AfterAll
    void stop() throws IOException {
        hosts.close();
    }

    private String uri(String host, String client, String extra) throws IOException {
        return pki.uri(host, port, client, extra);
    }

    private static Virsh.Result virsh(String uri, String... args) throws Exception {
        return Virsh.uri(uri, false).run(args);
    }

    @Test
    void goodClientListsDefinesAndUndefines() throws Exception {
        String uri = uri("127.0.0.1", "client1", "");
        Virsh.Result list = virsh(uri, "list", "--all");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.out()).contains("Id", "Name", "State");
        Path xml = hosts.root("pki").resolve("tlsdom.xml");
        Files.writeString(
                xml,
                "<domain type='qemu'><name>tlsdom</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                        + "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>");
        Virsh.Result define = virsh(uri, "define", xml.toString());
        assertThat(define.exit()).as(define.all()).isZero();
        assertThat(virsh(uri, "list", "--all", "--name").out()).contains("tlsdom");
        Virsh.Result undefine = virsh(uri, "undefine", "tlsdom");
        assertThat(undefine.exit()).as(undefine.all()).isZero();
        assertThat(virsh(uri, "list", "--all", "--name").out()).doesNotContain("tlsdom");
    }

    @Test
    void serverRefusalsLookAsLibvirtdsToVirsh() throws Exception {
        // Each client is refused for its own reason (the daemon logs it), and virsh sees what libvirtd causes.
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("stranger", "The certificate hasn't got a known issuer.");
        reasons.put("expired", "The certificate is not trusted.");
        reasons.put("revoked", "The certificate has been revoked.");
        reasons.put("other", "Client's Distinguished Name is not on the list of allowed clients");
        reasons.put(null, "No certificate was found.");
        try (Refusals refusals = Refusals.watch()) {
            for (Map.Entry<String, String> c : reasons.entrySet()) {
                // no_sanity=1: virsh would otherwise refuse its own unknown-CA or expired certificate first.
                Virsh.Result r = virsh(uri("127.0.0.1", c.getKey(), "&no_sanity=1"), "list", "--all");
                assertThat(r.exit()).as("client %s: %s", c.getKey(), r.all()).isNotZero();
                assertThat(r.err()).as("client %s", c.getKey()).contains(TestPki.NO_CONFIRMATION);
                assertThat(refusals.next()).as("client %s", c.getKey()).contains(c.getValue());
            }
        }
    }

    /** The daemon's "refusing TLS client" log lines, as they come. */
    private static final class Refusals extends Handler implements AutoCloseable {
        private static final Logger DAEMON = Logger.getLogger(Daemon.class.getName());
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        static Refusals watch() {
            Refusals r = new Refusals();
            DAEMON.addHandler(r);
            return r;
        }

        /** The next refusal; the daemon logs it before it closes, so it is there once virsh has failed. */
        String next() throws InterruptedException {
            String line = lines.poll(30, TimeUnit.SECONDS);
            assertThat(line).as("a refusal in the daemon's log").isNotNull();
            return line;
        }

        @Override
        public void publish(LogRecord record) {
            String text = new SimpleFormatter().formatMessage(record);
            if (text.startsWith("refusing TLS client")) {
                lines.add(text);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            DAEMON.removeHandler(this);
        }
    }

    @Test
    void serverOfAnotherNameIsRefusedByVirsh() throws Exception {
        Virsh.Result r = virsh(uri("localhost", "client1", ""), "list", "--all");
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("authentication failed: Failed to verify peer's certificate");
        Virsh.Result lax = virsh(uri("localhost", "client1", "&no_verify=1"), "list", "--all");
        assertThat(lax.exit()).as(lax.all()).isZero();
    }

    @Test
    void tls12OnlyServerStillServesVirshAndTheJavaClient() throws Exception {
        // JSSE must not promise TLS 1.2 session tickets it does not send: GnuTLS would fail the handshake.
        int tls12 = pki.startTlsHost(hosts, "B", "NORMAL:-VERS-TLS1.3");
        String uri = pki.uri("127.0.0.1", tls12, "client1", "");
        Virsh.Result list = virsh(uri, "list", "--all");
        assertThat(list.exit()).as(list.all()).isZero();
        try (Connection c = Connections.open(uri)) {
            assertThat(c.listAllDomains(0)).isNotNull();
        }
    }

    @Test
    void javaClientOverTls() throws Exception {
        try (Connection c = Connections.open(uri("127.0.0.1", "client1", ""))) {
            assertThat(c.listAllDomains(0)).isNotNull();
        }
        assertThatThrownBy(() -> Connections.open(uri("127.0.0.1", "other", "")))
                .isInstanceOf(VirtException.class)
                .hasMessage(TestPki.NO_CONFIRMATION);
        assertThatThrownBy(() -> Connections.open(uri("localhost", "client1", "")))
                .isInstanceOf(VirtException.class)
                .hasMessage("authentication failed: Failed to verify peer's certificate");
    }
}

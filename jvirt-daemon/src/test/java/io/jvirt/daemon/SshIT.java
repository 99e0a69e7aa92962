package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DomainRef;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code qemu+ssh://} as libvirt's: stock virsh 11.3 and jvirt's own client reach a jvirtd through a private sshd on
 * loopback ({@link PrivateSshd}) with key authentication. The daemon serves as the host's libvirt daemon
 * ({@code libvirt_sockets = 1}), its sockets in the directory sshd's sessions see as /run/libvirt, so the URI needs no
 * {@code socket=}: the far end runs what virsh asks for (virt-ssh-helper where installed, else OpenBSD netcat on
 * /var/run/libvirt/libvirt-sock). Refusals (an unknown key, an unknown host key, no daemon) read as virsh prints them.
 * No guest runs: a definition made over ssh shows the calls reached the daemon.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshIT {
    private static final String DOMAIN = """
            <domain type='qemu'>
              <name>%s</name>
              <memory unit='MiB'>64</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
            </domain>
            """;

    private TwoDaemons hosts;
    private Daemon daemon;
    private PrivateSshd sshd;

    @BeforeAll
    void start() throws Exception {
        hosts = TwoDaemons.none("jvirtd-ssh-");
        Path libvirtRun = hosts.base.resolve("libvirt-run");
        daemon = hosts.daemon(hosts.startInJvm("A", root -> PrivateSshd.behindSshd(root, libvirtRun)));
        daemon.awaitReady();
        sshd = PrivateSshd.start(hosts.base.resolve("sshd"), libvirtRun);
    }

    @AfterAll
    void stop() throws IOException {
        TwoDaemons.closeLogging(sshd);
        hosts.close();
    }

    private Virsh.Result virsh(String uri, String... args) throws Exception {
        return Virsh.uri(uri, false).run(args);
    }

    private Path domainXml(String name) throws IOException {
        Path xml = hosts.base.resolve(name + ".xml");
        Files.writeString(xml, DOMAIN.formatted(name));
        return xml;
    }

    @Test
    void virshReachesTheDaemonOnLibvirtsSocketThroughEitherProxy() throws Exception {
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        // The default lets the far end pick virt-ssh-helper or netcat; proxy=netcat insists on netcat.
        for (String proxy : List.of("", "&proxy=netcat")) {
            String uri = sshd.uri(proxy);
            String name = "ssh" + (proxy.isEmpty() ? "auto" : "nc");
            Virsh.Result host = virsh(uri, "hostname");
            assertThat(host.exit()).as("%s\nsshd: %s", host.all(), sshd.log()).isZero();
            assertThat(host.out().strip()).isEqualTo(hostname);

            Virsh.Result define = virsh(uri, "define", domainXml(name).toString());
            assertThat(define.exit()).as(define.all()).isZero();
            assertThat(define.out()).contains("Domain '" + name + "' defined from ");
            assertThat(daemon.driver().lookupByName(name).name()).isEqualTo(name);
            assertThat(virsh(uri, "list", "--all", "--name").out()).contains(name);
            assertThat(virsh(uri, "domstate", name).out().strip()).isEqualTo("shut off");
            assertThat(virsh(uri, "undefine", name).exit()).isZero();
            assertThat(daemon.driver().listAllDomains(0))
                    .extracting(DomainRef::name)
                    .doesNotContain(name);
        }
    }

    @Test
    void readOnlyOverSshIsRefusedWhatTheReadOnlySocketRefuses() throws Exception {
        Path xml = domainXml("ssh-ro");
        Virsh.Result overSsh = Virsh.uri(sshd.uri(""), true).run("define", xml.toString());
        Virsh.Result local = Virsh.readOnly(daemon.roSocket()).run("define", xml.toString());
        assertThat(local.exit()).isNotZero();
        assertThat(overSsh.exit()).isNotZero();
        assertThat(overSsh.err()).isEqualTo(local.err());
        Virsh.Result list = Virsh.uri(sshd.uri(""), true).run("list", "--all");
        assertThat(list.exit()).as(list.all()).isZero();
        // -r with socket= naming the read-write socket: the read-only flag alone still refuses
        Virsh.Result flagOnly =
                Virsh.uri(sshd.uri("&socket=" + daemon.rwSocket()), true).run("define", xml.toString());
        assertThat(flagOnly.err()).isEqualTo(local.err());
    }

    @Test
    void theJavaClientSpeaksThroughSshAndLeavesNothingRunning() throws Exception {
        int clientsBefore = daemon.clientCount();
        try (Connection c = Connections.open(sshd.uri(""))) {
            assertThat(c.hostUuid()).isEqualTo(daemon.hostUuid());
            DomainRef d = c.defineXml(Files.readString(domainXml("ssh-java")));
            assertThat(d.name()).isEqualTo("ssh-java");
            assertThat(daemon.driver().lookupByName("ssh-java").uuid()).isEqualTo(d.uuid());
            assertThat(sshChildren())
                    .as("ssh runs while the connection is open")
                    .isNotEmpty();
            c.undefine(d, 0);
        }
        // Closing ends ssh, the far netcat and so the daemon's client.
        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.clientCount() == clientsBefore);
        await().atMost(Duration.ofSeconds(30)).until(() -> sshChildren().isEmpty());
        try (Connection c = Connections.open(sshd.uri("&proxy=netcat&readonly=1"))) {
            assertThat(c.listAllDomains(0)).extracting(DomainRef::name).doesNotContain("ssh-java");
            assertThatThrownBy(() -> c.defineXml(DOMAIN.formatted("ssh-java-ro")))
                    .isInstanceOf(VirtException.class)
                    .hasMessageContaining("read only");
        }
        // netcat, given -q0 as OpenBSD's needs, leaves on its stdin's end as well
        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.clientCount() == clientsBefore);
        await().atMost(Duration.ofSeconds(30)).until(() -> sshChildren().isEmpty());
    }

    @Test
    void refusalsReadAsVirshPrintsThem() throws Exception {
        String stranger = sshd.uri(sshd.strangerKey(), sshd.sshWrapper(), "");
        String unknownHost = sshd.uri(sshd.key(), sshd.sshWrapperNotKnowingTheHost(), "");
        String noDaemon = sshd.uri("&socket=" + hosts.base.resolve("no-such-sock"));
        for (String uri : List.of(stranger, unknownHost, noDaemon)) {
            Virsh.Result v = virsh(uri, "hostname");
            assertThat(v.exit()).isNotZero();
            // virsh prints "failed to connect", then the error, whose message may run over several lines
            String virshSays = v.err()
                    .replaceFirst("^error: failed to connect to the hypervisor\n", "")
                    .replaceFirst("^error: ", "")
                    .strip();
            assertThatThrownBy(() -> Connections.open(uri).close())
                    .isInstanceOf(VirtException.class)
                    .satisfies(e -> assertThat(words(e.getMessage())).isEqualTo(words(virshSays)));
        }
    }

    /** What ssh (or the far netcat) said, without libvirt's frame around it, which depends on how the socket ended. */
    private static String words(String message) {
        return message.replaceFirst("^(Cannot recv data|End of file while reading data): ", "")
                .replaceFirst(": (Connection reset by peer|Input/output error|Broken pipe)$", "");
    }

    /** The ssh processes this JVM started for the Java client (through the test's wrapper). */
    private List<ProcessHandle> sshChildren() {
        return ProcessHandle.current()
                .children()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains(String.valueOf(sshd.port())) && c.contains("ssh"))
                        .orElse(false))
                .toList();
    }
}

package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** domdisplay builds the URIs virsh 11.3 printed for the same {@code <graphics>} on its test driver. */
class DomDisplayCommandTest {
    private final FakeConnection connection = new FakeConnection();
    private FakeConnection.Domain web;

    @BeforeEach
    void runningDomain() {
        web = connection.addRunning("web", UUID.randomUUID(), 1);
    }

    private String displayFor(String graphics, String... options) {
        web.xml = "<domain type='qemu'><name>web</name><devices>" + graphics + "</devices></domain>";
        String[] args = new String[options.length + 2];
        args[0] = "domdisplay";
        args[1] = "web";
        System.arraycopy(options, 0, args, 2, options.length);
        CliRun run = CliRun.of(connection, args);
        assertThat(run.err()).isEmpty();
        return run.out();
    }

    @Test
    void vncShowsDisplayNumber() {
        assertThat(displayFor("<graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1'/>"))
                .isEqualTo("vnc://127.0.0.1:1\n\n");
    }

    @Test
    void wildcardOrMissingListenBecomesTheConnectionHostOrLocalhost() {
        assertThat(displayFor("<graphics type='vnc' port='5902' listen='0.0.0.0'/>"))
                .isEqualTo("vnc://localhost:2\n\n");
        assertThat(displayFor("<graphics type='vnc' port='5903'/>")).isEqualTo("vnc://localhost:3\n\n");
        connection.uri = "qemu+tcp://node7.example/system";
        assertThat(displayFor("<graphics type='vnc' port='5904' listen='::'/>")).isEqualTo("vnc://node7.example:4\n\n");
    }

    @Test
    void spiceShowsPortAndTlsPort() {
        assertThat(displayFor("<graphics type='spice' port='5904' tlsPort='5905' listen='127.0.0.1'/>"))
                .isEqualTo("spice://127.0.0.1:5904?tls-port=5905\n\n");
    }

    @Test
    void ipv6ListenElementIsBracketed() {
        assertThat(displayFor("<graphics type='spice' port='5906'><listen type='address' address='::1'/></graphics>"))
                .isEqualTo("spice://[::1]:5906\n\n");
    }

    @Test
    void unixSocket() {
        assertThat(displayFor("<graphics type='vnc' socket='/tmp/x.sock'/>")).isEqualTo("vnc+unix:///tmp/x.sock\n\n");
    }

    @Test
    void passwordOnlyWhenAsked() {
        String graphics = "<graphics type='vnc' port='5907' listen='10.1.2.3' passwd='s3cret'/>";
        assertThat(displayFor(graphics)).isEqualTo("vnc://10.1.2.3:7\n\n");
        assertThat(displayFor(graphics, "--include-password")).isEqualTo("vnc://:s3cret@10.1.2.3:7\n\n");
    }

    @Test
    void firstTypeWinsUnlessAllOrTypeAsked() {
        String both = "<graphics type='spice' port='5910'/><graphics type='vnc' port='5901'/>";
        assertThat(displayFor(both)).isEqualTo("vnc://localhost:1\n\n");
        assertThat(displayFor(both, "--all")).isEqualTo("vnc://localhost:1\nspice://localhost:5910\n\n");
        assertThat(displayFor(both, "--type", "spice")).isEqualTo("spice://localhost:5910\n\n");
    }

    @Test
    void noGraphicsIsAnError() {
        web.xml = "<domain><name>web</name><devices/></domain>";

        CliRun run = CliRun.of(connection, "domdisplay", "web");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: No graphical display found\n");
    }

    @Test
    void inactiveDomainIsAnError() {
        connection.add("off", UUID.randomUUID());

        CliRun run = CliRun.of(connection, "domdisplay", "off");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: Domain is not running\n");
    }

    @Test
    void xmlWithDoctypeIsRefused() {
        web.xml = "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><devices>&x;</devices></domain>";

        CliRun run = CliRun.of(connection, "domdisplay", "web");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("error: (domain XML):1:")
                .contains("DOCTYPE")
                .doesNotContain("root:");
    }
}

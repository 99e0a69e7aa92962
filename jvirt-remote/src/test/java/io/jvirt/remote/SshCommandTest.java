package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ConnectionUri;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ssh command lines of {@code qemu+ssh://} URIs, compared word for word with what virsh 11.3 ran for the same
 * URIs (recorded with {@code command=} pointing at a script that printed its arguments).
 */
class SshCommandTest {
    private static final String NC = "if 'nc' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then "
            + "ARG=-q0;else ARG=;fi;'nc' $ARG -U ";
    private static final String AUTO = "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     "
            + "virt-ssh-helper 'qemu:///system'; else    " + NC + "/var/run/libvirt/libvirt-sock; fi'";

    private static RemoteUri parse(String uri, boolean readOnly) {
        return RemoteUri.parse(ConnectionUri.parse(uri), RemoteOptions.DEFAULTS.withReadOnly(readOnly));
    }

    private static List<String> argv(String uri) {
        return parse(uri, false).ssh().orElseThrow().argv();
    }

    /** {@code words} split at spaces, then the host and the remote command: an expected ssh command line. */
    private static List<String> line(String words, String host, String remote) {
        List<String> all = new ArrayList<>(List.of(words.split(" ")));
        all.addAll(List.of("--", host, remote));
        return all;
    }

    @Test
    void userPortAndKeyfileComeBeforeTheFixedOptions() {
        assertThat(argv("qemu+ssh://bob@host.example:2222/system?keyfile=/k/id"))
                .isEqualTo(line("ssh -p 2222 -l bob -i /k/id -T -e none", "host.example", AUTO));
    }

    @Test
    void readOnlyAsksTheHelperForReadOnlyAndNetcatForTheRoSocket() {
        String remote = "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     "
                + "virt-ssh-helper -r 'qemu:///system'; else    " + NC + "/var/run/libvirt/libvirt-sock-ro; fi'";
        assertThat(parse("qemu+ssh://host.example/system", true)
                        .ssh()
                        .orElseThrow()
                        .argv())
                .isEqualTo(line("ssh -T -e none", "host.example", remote));
    }

    /**
     * Unlike libvirt, a socket path cannot end the remote shells' quoting: the far login shell hands {@code sh -c}
     * a line whose {@code -U} argument, parsed again, is the path itself (checked with this machine's /bin/sh).
     */
    @Test
    void aSocketPathWithQuotesStaysOneArgumentThroughBothShells() throws Exception {
        String socket = "/tmp/x';touch /tmp/p;'";
        String remote =
                argv("qemu+ssh://h/system?socket=/tmp/x'%3Btouch%20/tmp/p%3B'").getLast();
        assertThat(remote).startsWith("sh -c '" + NC).endsWith("'");
        // The socket's part of the far login shell's single-quoted argument to sh -c, parsed as each shell does.
        String part = remote.substring(("sh -c '" + NC).length(), remote.length() - 1);
        String forInnerShell = firstWord("'" + part + "'");
        assertThat(firstWord(forInnerShell)).isEqualTo(socket);
    }

    /** What /bin/sh makes of the first word of {@code line}. */
    private static String firstWord(String line) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "set -- " + line + "; printf %s \"$1\"").start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void socketOrNetcatPickNetcat() {
        assertThat(argv("qemu+ssh://h/system?socket=/tmp/s.sock").getLast()).isEqualTo("sh -c '" + NC + "/tmp/s.sock'");
        assertThat(argv("qemu+ssh://h/system?netcat=/bin/nc").getLast())
                .isEqualTo("sh -c '" + NC.replace("'nc'", "'/bin/nc'") + "/var/run/libvirt/libvirt-sock'");
        assertThat(argv("qemu+ssh://h/system?proxy=netcat").getLast())
                .isEqualTo("sh -c '" + NC + "/var/run/libvirt/libvirt-sock'");
        assertThat(argv("qemu+ssh://h/system?proxy=native").getLast())
                .isEqualTo("sh -c 'virt-ssh-helper 'qemu:///system''");
    }

    @Test
    void noTtyAndNoVerifyAddOptionsAndTheLibsshOnlyOnesAreIgnored() {
        assertThat(argv("qemu+ssh://bob@host.example:2222/system?keyfile=/k/id&no_tty=1&no_verify=1"
                        + "&known_hosts=/tmp/kh&sshauth=privkey&known_hosts_verify=ignore"))
                .isEqualTo(line(
                        "ssh -p 2222 -l bob -i /k/id -T -e none -o BatchMode=yes -o StrictHostKeyChecking=no",
                        "host.example",
                        AUTO));
        assertThat(argv("qemu+ssh://h/system?no_tty=0&no_verify=0")).doesNotContain("-o");
    }

    @Test
    void anIpv6HostLosesItsBrackets() {
        assertThat(argv("qemu+ssh://root@[::1]:2222/system?socket=/s"))
                .isEqualTo(line("ssh -p 2222 -l root -T -e none", "::1", "sh -c '" + NC + "/s'"));
    }

    @Test
    void commandReplacesSshAndNoHostMeansLocalhost() {
        List<String> argv = argv("qemu+ssh:///system?command=/opt/my-ssh");
        assertThat(argv.getFirst()).isEqualTo("/opt/my-ssh");
        assertThat(argv.get(argv.size() - 2)).isEqualTo("localhost");
    }

    @Test
    void theHelperKeepsModeAndSocketButTheDaemonGetsNeither() {
        RemoteUri u = parse("qemu+ssh://h/system?mode=legacy&foo=bar&keyfile=/k", false);
        assertThat(u.openName()).isEqualTo("qemu:///system?foo=bar");
        assertThat(u.ssh().orElseThrow().argv().getLast())
                .contains("virt-ssh-helper '''\\''qemu:///system?mode=legacy&foo=bar'\\''''; else");
        assertThat(((InetSocketAddress) u.address()).getPort()).isEqualTo(22);
    }

    @Test
    void metacharactersAreQuotedTwice() {
        assertThat(SshCommand.shellQuote("/usr/bin/nc")).isEqualTo("/usr/bin/nc");
        assertThat(SshCommand.shellQuote("")).isEqualTo("''");
        assertThat(SshCommand.shellQuote("my nc")).isEqualTo("'my nc'");
        assertThat(SshCommand.doubleQuote("it's")).isEqualTo("''\\''it'\\''\\'\\'''\\''s'\\'''");
    }

    @Test
    void refusalsWordedAsLibvirts() {
        assertThatThrownBy(() -> argv("qemu+ssh://h/system?mode=direct"))
                .isInstanceOf(VirtException.class)
                .hasMessage("Operation not supported: Cannot use direct socket mode for ssh transport")
                .satisfies(e -> assertThat(((VirtException) e).code()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED));
        assertThatThrownBy(() -> argv("qemu+ssh://h/system?mode=odd"))
                .hasMessage("invalid argument: Unknown remote mode 'odd'");
        assertThatThrownBy(() -> argv("qemu+ssh://h/system?proxy=odd"))
                .hasMessage("invalid argument: Unnkown proxy type 'odd'");
        assertThatThrownBy(() -> argv("qemu+ssh://h/system?proxy=native&netcat=nc"))
                .hasMessage("invalid argument: netcat path not valid with native proxy mode");
        assertThatThrownBy(() -> argv("qemu+ssh://h/system?no_tty=yes"))
                .hasMessage("invalid argument: Failed to parse value of URI component no_tty")
                .satisfies(e -> assertThat(((VirtException) e).code()).isEqualTo(ErrorCode.INVALID_ARG));
    }
}

package io.jvirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.RemoteProcedures;
import io.jvirt.rpc.wire.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over {@code qemu+ssh://} with {@code command=} naming a stand-in for ssh that runs the remote command
 * here, as sshd would run it there: the generated netcat line carries the RPC to a hand-played server. The real
 * sshd is the daemon module's SshIT.
 */
class SshTunnelTest {
    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void rpcGoesThroughTheRemoteCommandAndClosingEndsIt() throws Exception {
        // The remote command is the last argument; sshd gives it to the user's shell.
        Path ssh = script("fake-ssh", "for last; do :; done\nexec sh -c \"$last\"");
        try (FakeLibvirtServer server = new FakeLibvirtServer(dir);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String uri = "qemu+ssh://someone@far:2200/system?command=" + ssh + "&socket=" + server.socket();
            var opening = CompletableFuture.supplyAsync(() -> RemoteConnection.open(uri, RemoteOptions.DEFAULTS), pool);
            server.handshake(false);
            RemoteConnection c = opening.get(10, TimeUnit.SECONDS);
            var hostname = CompletableFuture.supplyAsync(c::hostname, pool);
            server.reply(
                    server.expect(RemoteProcedures.CONNECT_GET_HOSTNAME), RemoteProcedures.CONNECT_GET_HOSTNAME, "far");
            assertThat(hostname.get(10, TimeUnit.SECONDS)).isEqualTo("far");

            var closing = CompletableFuture.runAsync(c::close, pool);
            Message close = server.expect(RemoteProcedures.CONNECT_CLOSE);
            server.reply(close, RemoteProcedures.CONNECT_CLOSE, null);
            closing.get(10, TimeUnit.SECONDS);
            // netcat saw its stdin end and went: the server's side of the connection ends too.
            assertThat(server.read()).isEmpty();
            assertThat(c.isAlive()).isFalse();
        }
    }

    @Test
    void anSshThatStaysAfterItsStdinClosedIsTerminatedThenKilled() throws Exception {
        Path stays = script("staying-ssh", "read line; exec sleep 600");
        Path deaf = script("deaf-ssh", "trap '' TERM; read line; exec sleep 600");
        SshTunnel a = SshTunnel.open(new SshCommand(List.of(stays.toString()), "far"));
        SshTunnel b = SshTunnel.open(new SshCommand(List.of(deaf.toString()), "far"));
        ProcessHandle first = ProcessHandle.of(a.pid()).orElseThrow();
        ProcessHandle second = ProcessHandle.of(b.pid()).orElseThrow();
        a.close();
        b.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> !first.isAlive() && !second.isAlive());
    }

    @Test
    void whatSshSaysBeforeItGivesUpIsTheError() throws Exception {
        Path ssh = script("refused-ssh", "echo 'root@far: Permission denied (publickey).' >&2\nexit 255");
        assertThatThrownBy(() -> RemoteConnection.open("qemu+ssh://far/system?command=" + ssh, RemoteOptions.DEFAULTS))
                .isInstanceOf(VirtException.class)
                // libvirt's words for a reset or a clean end, whichever the socket saw, with ssh's in the middle
                .hasMessageMatching("(Cannot recv data|End of file while reading data): "
                        + "root@far: Permission denied \\(publickey\\)\\.: .+")
                .satisfies(e -> assertThat(((VirtException) e).code()).isEqualTo(ErrorCode.SYSTEM_ERROR));
    }

    @Test
    void aMissingSshBinaryIsASystemError() {
        assertThatThrownBy(() -> RemoteConnection.open(
                        "qemu+ssh://far/system?command=" + dir.resolve("no-such-ssh"), RemoteOptions.DEFAULTS))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("Cannot run '" + dir.resolve("no-such-ssh") + "' to reach far")
                .satisfies(e -> assertThat(((VirtException) e).code()).isEqualTo(ErrorCode.SYSTEM_ERROR));
    }

    @Test
    void aSilentFarEndIsStillAnEndOfFile() throws Exception {
        Path ssh = script("mute-ssh", "exit 1");
        assertThatThrownBy(() -> RemoteConnection.open("qemu+ssh://far/system?command=" + ssh, RemoteOptions.DEFAULTS))
                .isInstanceOf(VirtException.class)
                .hasMessageMatching("(Cannot recv data|End of file while reading data): [A-Z].+");
    }
}

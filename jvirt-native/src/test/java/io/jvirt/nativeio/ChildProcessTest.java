package io.jvirt.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    private static ChildProcess sh(String script, Path out, List<Integer> fds) throws NativeIOException {
        return ChildProcess.spawn(
                List.of("sh", "-c", script), Map.of("PATH", "/usr/bin:/bin"), "/dev/null", out.toString(), fds);
    }

    @Test
    void passedFdsArriveAsThreeFourAndNothingElseIsOpen() throws Exception {
        Path out = dir.resolve("out.log");
        Files.writeString(out, "before\n");
        Pipe a = Pipe.open(0);
        Pipe b = Pipe.open(0);
        try {
            // b's write end first, then a's: the child sees them as 3 and 4, whatever their numbers here.
            ChildProcess child = sh(
                    "echo one >&3; echo two >&4; ls /proc/self/fd | sort -n | tr '\\n' ' '; echo; echo err >&2",
                    out,
                    List.of(b.writeFd(), a.writeFd()));
            assertThat(child.onExit().get(10, TimeUnit.SECONDS)).isZero();
            assertThat(readLine(b)).isEqualTo("one");
            assertThat(readLine(a)).isEqualTo("two");
            // ls itself has its directory open as one more fd
            assertThat(Files.readAllLines(out)).containsExactly("before", "0 1 2 3 4 5 ", "err");
            assertThat(child.isAlive()).isFalse();
        } finally {
            for (int fd : List.of(a.readFd(), a.writeFd(), b.readFd(), b.writeFd())) {
                NativeFds.closeQuietly(fd);
            }
        }
    }

    @Test
    void stdioFromOurFdsAndNothingElseIsOpen() throws Exception {
        Pipe err = Pipe.open(0);
        try (SocketPair pair = UnixSocket.pair()) {
            ChildProcess child = ChildProcess.spawnWithStdio(
                    List.of("sh", "-c", "read line; echo \"got $line\"; ls /proc/self/fd | sort -n | tr '\\n' ' ' >&2"),
                    Map.of("PATH", "/usr/bin:/bin"),
                    pair.second().fd(),
                    pair.second().fd(),
                    err.writeFd());
            NativeFds.close(err.writeFd());
            byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
            pair.first().write(hello, 0, hello.length);
            assertThat(child.onExit().get(10, TimeUnit.SECONDS)).isZero();
            byte[] buf = new byte[64];
            int n = pair.first().read(buf, 0, buf.length);
            assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).isEqualTo("got hello\n");
            try (FdInputStream in = new FdInputStream(err.readFd(), 256)) {
                // ls itself has its directory open as one more fd
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("0 1 2 3 ");
            }
        }
    }

    @Test
    void childRunsInASessionOfItsOwnWithAnEmptySignalMask() throws Exception {
        Path out = dir.resolve("out.log");
        ChildProcess child = sh("ps -o sid= -p $$; grep SigBlk /proc/self/status", out, List.of());
        assertThat(child.onExit().get(10, TimeUnit.SECONDS)).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0).strip()).isEqualTo(Long.toString(child.pid()));
        assertThat(lines.get(1)).matches("SigBlk:\\s+0+");
    }

    @Test
    void signalEndsTheChildAndIsRefusedOnceItIsReaped() throws Exception {
        ChildProcess child = sh("exec sleep 60", dir.resolve("out.log"), List.of());
        assertThat(child.isAlive()).isTrue();
        assertThat(child.signal(15)).isTrue();
        assertThat(child.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(128 + 15);
        assertThat(child.signal(15)).isFalse();
        assertThat(Files.exists(Path.of("/proc/" + child.pid()))).isFalse(); // reaped: no zombie left
    }

    @Test
    void aMissingProgramIsAnErrorAndNoChild() {
        assertThatThrownBy(() -> ChildProcess.spawn(
                        List.of("/nonexistent/qemu"),
                        Map.of(),
                        "/dev/null",
                        dir.resolve("o").toString(),
                        List.of()))
                .isInstanceOf(NativeIOException.class)
                .satisfies(e -> assertThat(((NativeIOException) e).errno()).isEqualTo(2));
    }

    private static String readLine(Pipe p) throws NativeIOException {
        byte[] buf = new byte[64];
        int n = NativeFds.read(p.readFd(), buf, 0, buf.length);
        return new String(buf, 0, n).strip();
    }
}

package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.Connection;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every failure is "error: ..." on stderr with exit 1, worded as virsh words it. */
class ErrorReportingTest {
    private final FakeConnection connection = new FakeConnection();

    @Test
    void unknownCommand() {
        CliRun run = CliRun.of(connection, "foo");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: unknown command: 'foo'\n");
        assertThat(run.out()).isEmpty();
        assertThat(run.openedUris()).isEmpty();
    }

    @Test
    void missingDomainArgument() {
        CliRun run = CliRun.of(connection, "dominfo");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: command 'dominfo' requires <domain> option\n");
        assertThat(run.openedUris()).isEmpty();
    }

    @Test
    void missingFileArgument() {
        CliRun run = CliRun.of(connection, "define");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: command 'define' requires <file> option\n");
    }

    @Test
    void unknownOptionOfACommand() {
        CliRun run = CliRun.of(connection, "list", "--bogus");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: command 'list' doesn't support option --bogus\n");
    }

    @Test
    void extraArgument() {
        CliRun run = CliRun.of(connection, "dominfo", "a", "b");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: unexpected data 'b'\n");
    }

    @Test
    void optionWithoutValue() {
        assertThat(CliRun.of(connection, "dominfo", "--domain").err())
                .isEqualTo("error: expected syntax: --domain <string>\n");
        assertThat(CliRun.of(connection, "-c").err())
                .isEqualTo("error: option '-c'/'--connect' requires an argument\n");
    }

    @Test
    void unknownGlobalOption() {
        CliRun run = CliRun.of(connection, "--bogus", "list");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: unsupported option '--bogus'. See --help.\n");
    }

    @Test
    void noCommandPrintsUsageAndFails() {
        CliRun run = CliRun.of(connection);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("Usage: jvirt").contains("dominfo");
    }

    @Test
    void helpSucceeds() {
        CliRun run = CliRun.of(connection, "help", "list");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Usage: jvirt list").contains("--all");
    }

    @Test
    void noDriverForTheUriIsAConnectionFailure() {
        Function<String, Connection> noDriver = uri -> {
            throw VirtException.of(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uri);
        };

        CliRun run = CliRun.of(noDriver, Map.of(), "-c", "qemu:///embed?root=/tmp/x", "list");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("""
                error: failed to connect to the hypervisor
                error: no connection driver available for qemu:///embed?root=/tmp/x
                """);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void uriComesFromOptionThenEnvironment() {
        Map<String, String> env = Map.of(CliContext.DEFAULT_URI_ENV, "qemu:///embed?root=/srv/a");

        assertThat(CliRun.of(uri -> connection, env, "uri").openedUris()).containsExactly("qemu:///embed?root=/srv/a");
        assertThat(CliRun.of(uri -> connection, env, "-c", "qemu:///embed?root=/srv/b", "uri")
                        .openedUris())
                .containsExactly("qemu:///embed?root=/srv/b");
        assertThat(CliRun.of(uri -> connection, env, "--connect=qemu:///embed?root=/srv/c", "uri")
                        .openedUris())
                .containsExactly("qemu:///embed?root=/srv/c");
    }

    @Test
    void unexpectedExceptionIsOneErrorLineWithoutTraceUnlessDebugging() {
        Function<String, Connection> broken = uri -> {
            throw new IllegalStateException("root directory is locked");
        };

        CliRun plain = CliRun.of(broken, Map.of(), "list");
        CliRun debug = CliRun.of(broken, Map.of(CliContext.DEBUG_ENV, "1"), "list");

        assertThat(plain.status()).isEqualTo(1);
        assertThat(plain.err()).isEqualTo("error: root directory is locked\n");
        assertThat(debug.err())
                .startsWith("error: root directory is locked\n")
                .contains("java.lang.IllegalStateException")
                .contains("\tat ");
    }
}

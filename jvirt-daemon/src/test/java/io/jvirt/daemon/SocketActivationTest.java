package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** sd_listen_fds' rules: fds 3 and up, only for the process LISTEN_PID names, by LISTEN_FDNAMES or by order. */
class SocketActivationTest {
    @Test
    void namedFdsForThisProcess() {
        SocketActivation a = SocketActivation.parse(
                Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "jvirtd-ro:jvirtd-rw"), 42);
        assertThat(a.fd(SocketActivation.RO)).contains(3);
        assertThat(a.fd(SocketActivation.RW)).contains(4);
    }

    @Test
    void unnamedFdsAreReadWriteThenReadOnly() {
        SocketActivation a = SocketActivation.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42);
        assertThat(a.fd(SocketActivation.RW)).contains(3);
        assertThat(a.fd(SocketActivation.RO)).contains(4);
        SocketActivation one =
                SocketActivation.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1", "LISTEN_FDNAMES", "unknown"), 42);
        assertThat(one.fd(SocketActivation.RW)).contains(3);
        assertThat(one.fd(SocketActivation.RO)).isEmpty();
    }

    @Test
    void fdsMeantForAnotherProcessOrMalformedAreIgnored() {
        assertThat(SocketActivation.parse(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "2"), 42))
                .isEqualTo(SocketActivation.NONE);
        assertThat(SocketActivation.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "two"), 42))
                .isEqualTo(SocketActivation.NONE);
        assertThat(SocketActivation.parse(Map.of("LISTEN_FDS", "2"), 42)).isEqualTo(SocketActivation.NONE);
        assertThat(SocketActivation.parse(Map.of(), 42)).isEqualTo(SocketActivation.NONE);
    }
}

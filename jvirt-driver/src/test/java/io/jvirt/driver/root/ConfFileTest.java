package io.jvirt.driver.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfFileTest {
    private static final Path SOURCE = Path.of("/x/jvirt.conf");

    @Test
    void readsStringsNumbersListsAndIgnoresComments() {
        ConfFile conf = ConfFile.parse(SOURCE, """
                # a comment
                host_uuid = "00000000-0000-0000-0000-00000000abcd"   # trailing comment
                monitor_timeout_ms = 1500
                listen_addrs = [ "127.0.0.1", "::1" ]
                empty = []
                hash_in_string = "a#b"
                tls_allowed_dn_list = ["C=GB,ST=London,CN=*", "C=UK,CN=libvirt"]
                """);
        assertThat(conf.string("host_uuid", null)).isEqualTo("00000000-0000-0000-0000-00000000abcd");
        assertThat(conf.number("monitor_timeout_ms", 0)).isEqualTo(1500);
        assertThat(conf.list("listen_addrs")).containsExactly("127.0.0.1", "::1");
        assertThat(conf.list("empty")).isEmpty();
        assertThat(conf.list("tls_allowed_dn_list")).containsExactly("C=GB,ST=London,CN=*", "C=UK,CN=libvirt");
        assertThat(conf.string("hash_in_string", null)).isEqualTo("a#b");
        assertThat(conf.string("missing", "fallback")).isEqualTo("fallback");
    }

    @Test
    void syntaxErrorsNameFileAndLine() {
        assertThatThrownBy(() -> ConfFile.parse(SOURCE, "a = 1\nb = \"open\n"))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONF_SYNTAX);
                    assertThat(e.getMessage()).contains("/x/jvirt.conf:2").contains("unterminated string");
                });
        assertThatThrownBy(() -> ConfFile.parse(SOURCE, "novalue\n"))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.getMessage()).contains(":1"));
        assertThatThrownBy(() -> ConfFile.parse(SOURCE, "a = bare\n"))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.getMessage()).contains("bare"));
    }

    @Test
    void aNulCharacterIsASyntaxErrorNotABadPathLater() {
        assertThatThrownBy(() -> ConfFile.parse(SOURCE, "a = 1\nca_file = \"/pki/\u0000ca.pem\"\n"))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONF_SYNTAX);
                    assertThat(e.getMessage()).contains("/x/jvirt.conf:2").contains("NUL character");
                });
    }

    @Test
    void numberSettingThatIsNotANumberIsRefusedByName() {
        ConfFile conf = ConfFile.parse(SOURCE, "start_timeout_ms = \"soon\"\n");
        assertThatThrownBy(() -> conf.number("start_timeout_ms", 1))
                .isInstanceOfSatisfying(
                        VirtException.class,
                        e -> assertThat(e.getMessage())
                                .contains("start_timeout_ms")
                                .contains("soon"));
    }
}

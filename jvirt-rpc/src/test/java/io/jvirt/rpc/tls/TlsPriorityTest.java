package io.jvirt.rpc.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Priority strings made only of separators are refused like any string not starting with NORMAL. */
class TlsPriorityTest {
    @ParameterizedTest
    @ValueSource(strings = {":", "::", " : ", ""})
    void aStringWithoutTokensIsRefused(String text) {
        assertThatThrownBy(() -> TlsPriority.parse(text))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_ERROR))
                .hasMessage("Failed to set TLS session priority to " + text + ": it must start with NORMAL"
                        + " (jvirt understands NORMAL with -VERS-TLS1.0 to -VERS-TLS1.3 tokens only)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NORMAL", "NORMAL:", "NORMAL:-VERS-TLS1.0"})
    void normalKeepsTls13And12(String text) {
        assertThat(TlsPriority.parse(text).protocols()).isEqualTo(List.of("TLSv1.3", "TLSv1.2"));
    }
}

package io.jvirt.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void writesCompactJsonInTheMapsOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "tap");
        m.put("fd", "3");
        m.put("vhost", true);
        m.put("n", 9000);
        m.put("list", Arrays.asList(1.5, null, "x"));
        m.put("empty", Map.of());

        assertThat(JsonText.write(m))
                .isEqualTo(
                        "{\"type\":\"tap\",\"fd\":\"3\",\"vhost\":true,\"n\":9000,\"list\":[1.5,null,\"x\"],\"empty\":{}}");
    }

    @Test
    void escapesStrings() {
        assertThat(JsonText.write("a\"b\\c\n\u0001é")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001é\"");
    }

    @Test
    void refusesWhatJsonCannotSay() {
        assertThatThrownBy(() -> JsonText.write(List.of(Double.NaN))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonText.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }
}

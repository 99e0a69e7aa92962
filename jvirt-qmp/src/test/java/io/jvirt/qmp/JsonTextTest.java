package io.jvirt.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void writesPlainValuesInMapOrder() {
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("direct", true);
        cache.put("no-flush", false);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("driver", "file");
        node.put("filename", "/a \"b\"\\c,d\n\u0001");
        node.put("cache", cache);
        node.put("backing", null);
        node.put("list", Arrays.asList(1, 2.5, "x", null));

        assertThat(JsonText.write(node))
                .isEqualTo("{\"driver\":\"file\",\"filename\":\"/a \\\"b\\\"\\\\c,d\\n\\u0001\","
                        + "\"cache\":{\"direct\":true,\"no-flush\":false},\"backing\":null,"
                        + "\"list\":[1,2.5,\"x\",null]}");
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThatThrownBy(() -> JsonText.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonText.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonText.parse("{\"a\":}")).hasMessageContaining("offset 5");
        assertThatThrownBy(() -> JsonText.parse("[1] x")).hasMessageContaining("text after");
        assertThatThrownBy(() -> JsonText.parse("\"abc")).hasMessageContaining("end of text");
    }

    @Test
    void parsesWhatItWritesAndWhatQemuImgPrints() {
        Object v =
                JsonText.parse(" [ {\"virtual-size\": 16777216, \"filename\": \"/t/top.qcow2\", \"format\": \"qcow2\","
                        + " \"dirty-flag\": false, \"big\": 18446744073709551615, \"ratio\": -1.5e2,"
                        + " \"s\": \"\\u00e9\\/\\t\", \"n\": null, \"e\": {}, \"l\": []} ]\n");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("virtual-size", 16777216L);
        expected.put("filename", "/t/top.qcow2");
        expected.put("format", "qcow2");
        expected.put("dirty-flag", false);
        expected.put("big", new BigInteger("18446744073709551615"));
        expected.put("ratio", -150.0);
        expected.put("s", "é/\t");
        expected.put("n", null);
        expected.put("e", Map.of());
        expected.put("l", List.of());
        assertThat(v).isEqualTo(List.of(expected));
        assertThat(JsonText.parse(JsonText.write(expected))).isEqualTo(expected);
    }
}

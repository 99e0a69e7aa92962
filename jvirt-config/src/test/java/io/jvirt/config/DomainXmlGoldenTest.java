package io.jvirt.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden files: {@code domainxml/<input>-in.xml} formatted with the flags must equal {@code <output>-out.xml}. */
class DomainXmlGoldenTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("minimal", "minimal", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("test-guest", "test-guest", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("disks", "disks", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("graphics", "graphics", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("interface", "interface", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("bridge", "bridge", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("bridge", "bridge-inactive", EnumSet.of(FormatFlag.INACTIVE)),
                Arguments.of("unknown", "unknown", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("units", "units", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("live", "live", EnumSet.noneOf(FormatFlag.class)),
                Arguments.of("live", "live-inactive", EnumSet.of(FormatFlag.INACTIVE)),
                Arguments.of("live", "live-migratable", EnumSet.of(FormatFlag.MIGRATABLE, FormatFlag.HIDE_SECRETS)));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("cases")
    void formatsAsTheGoldenFile(String in, String out, Set<FormatFlag> flags) throws IOException {
        String formatted = DomainXml.format(DomainXml.parse(resource(in + "-in.xml")), flags);

        assertThat(formatted).isEqualTo(resource(out + "-out.xml"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("cases")
    void formattedOutputIsAFixedPoint(String in, String out, Set<FormatFlag> flags) throws IOException {
        String golden = resource(out + "-out.xml");

        assertThat(DomainXml.format(DomainXml.parse(golden), flags)).isEqualTo(golden);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void liveRoundTripKeepsTheDefinition(String in) throws IOException {
        DomainDef first = DomainXml.parse(resource(in + "-in.xml"));

        DomainDef again = DomainXml.parse(DomainXml.format(first));

        assertThat(again).isEqualTo(first);
    }

    static String resource(String name) throws IOException {
        try (InputStream s = DomainXmlGoldenTest.class.getResourceAsStream("/domainxml/" + name)) {
            assertThat(s).as("test resource " + name).isNotNull();
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

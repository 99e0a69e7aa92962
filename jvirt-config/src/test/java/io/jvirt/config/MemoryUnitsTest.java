package io.jvirt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** libvirt's unit table: binary for a bare letter or "iB", decimal for "B", bytes for b/bytes. */
class MemoryUnitsTest {

    @ParameterizedTest(name = "{0} {1} = {2} KiB")
    @CsvSource({
        "1, b, 1",
        "1024, bytes, 1",
        "1025, byte, 2",
        "2048, B, 2",
        "1, k, 1",
        "1, KiB, 1",
        "1, KB, 1",
        "3, kb, 3",
        "1, M, 1024",
        "1, MiB, 1024",
        "1, MB, 977",
        "1, m, 1024",
        "1, G, 1048576",
        "1, GiB, 1048576",
        "1, GB, 976563",
        "1, T, 1073741824",
        "1, TiB, 1073741824",
        "1, TB, 976562500",
        "7, '', 7"
    })
    void convertsToKiB(long value, String unit, long kib) {
        assertThat(MemoryUnits.toKiB(value, unit)).isEqualTo(kib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"XB", "Mi", "KiBB", "x", "bits"})
    void refusesUnknownSuffixes(String unit) {
        assertThatThrownBy(() -> MemoryUnits.toKiB(1, unit))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG))
                .hasMessage("invalid argument: unknown suffix '" + unit + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EiB", "PiB"})
    void reportsOverflow(String unit) {
        assertThatThrownBy(() -> MemoryUnits.toKiB(Long.MAX_VALUE / 1024, unit))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERFLOW));
    }
}

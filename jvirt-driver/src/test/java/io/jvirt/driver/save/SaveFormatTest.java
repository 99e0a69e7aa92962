package io.jvirt.driver.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveFormatTest {
    @TempDir
    Path dir;

    @Test
    void diskNumbersAndNamesAreLibvirts() {
        assertThat(SaveFormat.fromDisk(0)).isEqualTo(SaveFormat.RAW);
        assertThat(SaveFormat.fromDisk(1)).isEqualTo(SaveFormat.GZIP);
        assertThat(SaveFormat.fromDisk(2)).isEqualTo(SaveFormat.BZIP2);
        assertThat(SaveFormat.fromDisk(3)).isEqualTo(SaveFormat.XZ);
        assertThat(SaveFormat.fromDisk(4)).isEqualTo(SaveFormat.LZOP);
        assertThat(SaveFormat.fromDisk(5)).isEqualTo(SaveFormat.ZSTD);
        assertThat(SaveFormat.fromName("raw")).isEqualTo(SaveFormat.RAW);
        assertThat(SaveFormat.fromName("gzip")).isEqualTo(SaveFormat.GZIP);
        assertThat(SaveFormat.fromName("bzip2")).isEqualTo(SaveFormat.BZIP2);
        assertThat(SaveFormat.fromName("xz")).isEqualTo(SaveFormat.XZ);
        assertThat(SaveFormat.fromName("lzop")).isEqualTo(SaveFormat.LZOP);
        assertThat(SaveFormat.fromName("zstd")).isEqualTo(SaveFormat.ZSTD);
    }

    @Test
    void everyFormatRoundTripsThroughItsNameAndNumber() {
        for (SaveFormat f : SaveFormat.values()) {
            assertThat(SaveFormat.fromName(f.formatName())).isEqualTo(f);
            assertThat(SaveFormat.fromDisk(f.diskValue())).isEqualTo(f);
        }
    }

    @Test
    void programsRunWithLibvirtsArguments() {
        assertThat(SaveFormat.GZIP.compressArgv()).containsExactly("gzip", "-c");
        assertThat(SaveFormat.GZIP.decompressArgv()).containsExactly("gzip", "-dc");
        assertThat(SaveFormat.BZIP2.compressArgv()).containsExactly("bzip2", "-c");
        assertThat(SaveFormat.BZIP2.decompressArgv()).containsExactly("bzip2", "-dc");
        assertThat(SaveFormat.XZ.compressArgv()).containsExactly("xz", "-c", "-3");
        assertThat(SaveFormat.XZ.decompressArgv()).containsExactly("xz", "-dc");
        assertThat(SaveFormat.LZOP.compressArgv()).containsExactly("lzop", "-c");
        assertThat(SaveFormat.LZOP.decompressArgv()).containsExactly("lzop", "-dc", "--ignore-warn");
        assertThat(SaveFormat.ZSTD.compressArgv()).containsExactly("zstd", "-c", "-q");
        assertThat(SaveFormat.ZSTD.decompressArgv()).containsExactly("zstd", "-dc", "-q");
        assertThat(SaveFormat.RAW.compressArgv()).isEmpty();
        assertThat(SaveFormat.RAW.program()).isEmpty();
    }

    @Test
    void unknownNameIsRefusedNamingTheValidOnes() {
        assertThatThrownBy(() -> SaveFormat.fromName("lzma"))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
                    assertThat(e.domain()).isEqualTo(ErrorDomain.QEMU);
                })
                .hasMessageContaining("'lzma'")
                .hasMessageContaining("raw, gzip, bzip2, xz, lzop, zstd");
    }

    @Test
    void unknownDiskNumberIsRefused() {
        assertThatThrownBy(() -> SaveFormat.fromDisk(6))
                .isInstanceOf(VirtException.class)
                .hasMessageContaining("6");
        assertThatThrownBy(() -> SaveFormat.fromDisk(-1)).isInstanceOf(VirtException.class);
    }

    @Test
    void missingProgramGivesLibvirtsMessage() {
        ProgramSearch nowhere = new ProgramSearch(List.of(dir));
        assertThatThrownBy(() -> SaveFormat.LZOP.checkAvailable(nowhere))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                .hasMessage("operation failed: Compression program for lzop image format in configuration file"
                        + " isn't available");
    }

    @Test
    void rawNeedsNoProgram() {
        assertThat(SaveFormat.RAW.checkAvailable(new ProgramSearch(List.of(dir))))
                .isEmpty();
    }

    @Test
    void programIsFoundOnlyWhenExecutable() throws Exception {
        Path fake = SaveFixtures.fakeProgram(dir, "zstd", "exit 0");
        Files.writeString(dir.resolve("xz"), "not executable");
        ProgramSearch search = new ProgramSearch(List.of(dir));

        assertThat(SaveFormat.ZSTD.checkAvailable(search)).contains(fake);
        assertThat(SaveFormat.ZSTD.compressCommand(search)).containsExactly(fake.toString(), "-c", "-q");
        assertThatThrownBy(() -> SaveFormat.XZ.checkAvailable(search)).isInstanceOf(VirtException.class);
    }

    @Test
    void systemSearchFindsInstalledCompressors() {
        // The build host has all five installed (see the task notes); this is what the daemon will use.
        for (SaveFormat f : SaveFormat.values()) {
            if (f.isCompressed()) {
                assertThat(f.checkAvailable())
                        .get()
                        .satisfies(p -> assertThat(p).isAbsolute());
            }
        }
    }
}

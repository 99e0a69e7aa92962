package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticBusyboxTest {
    @Test
    void theJavaLauncherIsDynamicallyLinked() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(StaticBusybox.isStaticElf(java)).isFalse();
    }

    @Test
    void aTextFileIsNoStaticExecutable(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("busybox"), "#!/bin/sh\necho hi\n");
        assertThat(StaticBusybox.isStaticElf(script)).isFalse();
    }

    @Test
    void theLocatedBusyboxIsStatic() {
        // Only meaningful where busybox-static is installed; locate() throws a clear error elsewhere.
        if (Files.isRegularFile(Path.of("/bin/busybox")) || Files.isRegularFile(Path.of("/usr/bin/busybox"))) {
            assertThat(StaticBusybox.isStaticElf(StaticBusybox.locate())).isTrue();
        }
    }
}

package io.jvirt.driver.root;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.api.VirtException;
import io.jvirt.testing.DecoderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes jvirt.conf as the driver reads it at start: the file in a host root, read into {@link DriverSettings}
 * (migration and migration TLS settings included). A bad file may only be a {@link VirtException}, which the
 * driver reports naming the file and line.
 */
class DriverConfFuzzTest {
    private static final DecoderContract CONTRACT = DecoderContract.of(64L << 20, List.of(VirtException.class));
    private static final HostRoot ROOT = tempRoot();

    @FuzzTest(maxDuration = "10s")
    void jvirtConf(byte[] input) throws Exception {
        Files.write(ROOT.settingsFile(), input);
        CONTRACT.check(() -> DriverSettings.load(ROOT));
    }

    @AfterAll
    static void removeRoot() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.dir())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static HostRoot tempRoot() {
        try {
            HostRoot root = new HostRoot(Files.createTempDirectory("jvirt-fuzz-"));
            Files.createDirectories(root.settingsFile().getParent());
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

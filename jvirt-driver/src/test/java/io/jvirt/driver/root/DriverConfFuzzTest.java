package io.jvirt.driver.root;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.api.VirtException;
import io.jvirt.testing.DecoderContract;
import io.jvirt.testing.FuzzScratch;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes jvirt.conf as the driver reads it at start: the file in a host root, read into {@link DriverSettings}
 * (migration and migration TLS settings included). A bad file may only be a {@link VirtException}, which the
 * driver reports naming the file and line.
 */
class DriverConfFuzzTest {
    private static final DecoderContract CONTRACT = DecoderContract.of(64L << 20, List.of(VirtException.class));
    private static final HostRoot ROOT = new HostRoot(FuzzScratch.directory());

    @FuzzTest(maxDuration = "10s")
    void jvirtConf(byte[] input) throws Exception {
        Files.createDirectories(ROOT.settingsFile().getParent());
        Files.write(ROOT.settingsFile(), input);
        CONTRACT.check(() -> DriverSettings.load(ROOT));
    }

    @AfterAll
    static void removeRoot() throws IOException {
        FuzzScratch.delete(ROOT.dir());
    }
}

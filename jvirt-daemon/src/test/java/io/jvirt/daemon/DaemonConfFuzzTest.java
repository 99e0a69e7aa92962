package io.jvirt.daemon;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.ConfFile;
import io.jvirt.testing.DecoderContract;
import io.jvirt.testing.FuzzScratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes jvirtd.conf as the daemon reads it at start: the file read as {@link ConfFile} and turned into a
 * {@link DaemonConfig} (sockets, limits, TCP and TLS listeners, the driver's keys). A bad file may only be a
 * {@link VirtException}, which jvirtd prints before it exits.
 */
class DaemonConfFuzzTest {
    private static final DecoderContract CONTRACT = DecoderContract.of(64L << 20, List.of(VirtException.class));
    private static final Path DIR = FuzzScratch.directory();
    private static final Path CONF = DIR.resolve("jvirtd.conf");

    @FuzzTest(maxDuration = "10s")
    void jvirtdConf(byte[] input) throws Exception {
        Files.write(CONF, input);
        CONTRACT.check(() -> DaemonConfigLoader.fromConf(ConfFile.load(CONF), Optional.of(DIR)));
    }

    @AfterAll
    static void removeDir() throws IOException {
        FuzzScratch.delete(DIR);
    }
}

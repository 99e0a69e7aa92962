package io.jvirt.driver.save;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainXml;
import io.jvirt.testing.DecoderContract;
import io.jvirt.testing.FuzzScratch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the save-image reader as restore, save-image-dumpxml and a managed-save start meet a file: the 92-byte
 * header alone, then the whole preamble read from a file (header, domain XML, cookie) and the XML parsed as restore
 * parses it. Failures may only be {@link VirtException}s, and no header may make the reader allocate beyond its
 * {@link SaveImageHeader#MAX_DATA_LEN} bound.
 */
class SaveImageFuzzTest {
    private static final DecoderContract CONTRACT =
            DecoderContract.of(4L * SaveImageHeader.MAX_DATA_LEN, List.of(VirtException.class));
    private static final Path DIR = FuzzScratch.directory();
    private static final Path IMAGE = DIR.resolve("image.save");

    @FuzzTest(maxDuration = "10s")
    void saveImage(byte[] input) throws Exception {
        CONTRACT.check(() -> SaveImageHeader.read(ByteBuffer.wrap(input)));
        Files.write(IMAGE, input);
        CONTRACT.check(() -> DomainXml.parse(SaveImage.open(IMAGE).domainXml()));
    }

    @AfterAll
    static void removeImage() throws IOException {
        FuzzScratch.delete(DIR);
    }
}

package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DriverContext;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code virDomainScreenshot}: QEMU writes the display as PNG ({@code screendump}) into the domain's run directory,
 * where its user may write; the call returns once the image is there, and a thread of its own then copies it to
 * the caller's channel, closes that and deletes the file.
 *
 * <p>Threading: the caller's thread, then one platform thread {@code jvirt-screenshot-NAME} per image.
 */
final class Screenshots {
    static final String MIME = "image/png";
    private static final System.Logger LOG = System.getLogger(Screenshots.class.getName());

    private Screenshots() {}

    static String take(DriverContext ctx, DomainObj dom, int screen, WritableByteChannel image, int flags) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainScreenshot");
        }
        Path file = ctx.root().domainRunDir(dom.name()).resolve("screenshot-" + System.nanoTime() + ".png");
        LiveCalls.modify(dom, "screenshot", m -> {
            DomainDef live = dom.liveDef();
            if (live.videos().isEmpty()) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "no screens to take screenshot from");
            }
            if (screen != 0) {
                throw VirtException.of(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "No screen with index " + screen);
            }
            return m.execute("screendump", Map.of("filename", file.toString(), "format", "png"));
        });
        Thread.ofPlatform().daemon().name("jvirt-screenshot-" + dom.name()).start(() -> copy(file, image));
        return MIME;
    }

    private static void copy(Path file, WritableByteChannel image) {
        try (image;
                FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, image);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.INFO, "screenshot {0} not sent: {1}", file, e.toString());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.INFO, "cannot delete {0}: {1}", file, e.toString());
            }
        }
    }
}

package io.jvirt.driver.device;

import io.jvirt.api.BlockInfo;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes of an image file nobody runs, as libvirt reports them for an inactive domain: capacity from the
 * image's format (QEMU's own {@code qemu-img info}), allocation what the file occupies on the host, physical its
 * length. {@code -U} lets it read an image a QEMU holds locked.
 *
 * <p>Threading: the caller's thread; waits for the short-lived {@code qemu-img} child.
 */
final class ImageSizes {
    private static final Pattern VIRTUAL = Pattern.compile("\"virtual-size\"\\s*:\\s*(\\d+)");
    private static final Pattern ACTUAL = Pattern.compile("\"actual-size\"\\s*:\\s*(\\d+)");
    private static final long TIMEOUT_SECONDS = 30;

    private ImageSizes() {}

    static BlockInfo of(Path image) {
        try {
            long physical = Files.size(image);
            Process p = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", image.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw VirtException.of(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorDomain.QEMU,
                        "cannot read the size of image '" + image + "': " + out.strip());
            }
            return new BlockInfo(number(VIRTUAL, out, physical), number(ACTUAL, out, physical), physical);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot stat file '" + image + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted reading " + image);
        }
    }

    // The image's own members come last: QEMU lists its children (the file node, with the file's sizes) first.
    private static long number(Pattern p, String json, long fallback) {
        Matcher m = p.matcher(json);
        long value = fallback;
        while (m.find()) {
            value = Long.parseLong(m.group(1));
        }
        return value;
    }
}

package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.BackingStore;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DiskSource;
import io.jvirt.config.DiskType;
import io.jvirt.config.XmlValue;
import io.jvirt.qmp.JsonText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads backing chains with {@code qemu-img info -U --output=json --backing-chain -f FORMAT IMAGE} (spawned directly,
 * no shell). The disk's own format is given, never probed; each backing image's format must be recorded in the image
 * above it, as libvirt requires, except that a probed raw image is taken as raw. When qemu-img cannot open the chain,
 * the chain is walked one image at a time to name the image that is missing, in libvirt's words. Runs on the
 * caller's thread, blocking while qemu-img runs.
 */
public final class QemuImgChains implements ImageChainReader {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_DEPTH = 64;

    private final Path qemuImg;

    public QemuImgChains(Path qemuImg) {
        this.qemuImg = qemuImg;
    }

    /** The qemu-img beside {@code emulator} (as Debian installs them), else the one on the PATH. */
    public static QemuImgChains besides(Path emulator) {
        Path sibling = emulator.resolveSibling("qemu-img");
        return new QemuImgChains(Files.isExecutable(sibling) ? sibling : Path.of("qemu-img"));
    }

    @Override
    public BackingStore read(DiskSource source, DiskFormat format) {
        Result r = run(source.path(), format.xml(), true);
        if (r.exit() != 0) {
            throw locateBreak(source.path(), format.xml(), r.stderr());
        }
        List<Map<String, Object>> layers = layers(r.stdout(), source.path());
        return link(layers, 0);
    }

    /** What backs {@code layers[k]}, built from the layers below it. */
    private static BackingStore link(List<Map<String, Object>> layers, int k) {
        Map<String, Object> layer = layers.get(k);
        String backing = string(layer, "full-backing-filename");
        if (backing == null) {
            backing = string(layer, "backing-filename");
        }
        if (backing == null) {
            return BackingStore.end(true);
        }
        String parent = string(layer, "filename");
        if (k + 1 >= layers.size() || k + 1 >= MAX_DEPTH) {
            throw StorageErrors.cannotAccess(backing, parent, "No such file or directory");
        }
        String formatText = string(layer, "backing-filename-format");
        if (formatText == null) {
            if (!"raw".equals(string(layers.get(k + 1), "format"))) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID,
                        ErrorDomain.STORAGE,
                        "format of backing image '" + backing + "' of image '" + parent
                                + "' was not specified in the image metadata (See"
                                + " https://libvirt.org/kbase/backing_chains.html for troubleshooting)");
            }
            formatText = "raw";
        }
        DiskFormat format = XmlValue.lookup(DiskFormat.class, formatText);
        if (format == null) {
            throw VirtException.of(
                    ErrorCode.CONFIG_UNSUPPORTED,
                    ErrorDomain.QEMU,
                    "backing image '" + backing + "' of '" + parent + "' has format '" + formatText
                            + "', which is not supported (raw, qcow2)");
        }
        Path p = Path.of(backing);
        DiskType type = Files.exists(p) && !Files.isRegularFile(p) ? DiskType.BLOCK : DiskType.FILE;
        return new BackingStore(new DiskSource(type, backing), format, 0, link(layers, k + 1), true);
    }

    /** Walks the chain one image at a time to find the first that cannot be opened. */
    private VirtException locateBreak(String top, String topFormat, String stderr) {
        String parent = null;
        String path = top;
        String format = topFormat;
        for (int depth = 0; depth < MAX_DEPTH && path != null; depth++) {
            if (!Files.exists(Path.of(path))) {
                return StorageErrors.cannotAccess(path, parent, "No such file or directory");
            }
            Result r = run(path, format, false);
            if (r.exit() != 0) {
                break;
            }
            Map<String, Object> layer = layers(r.stdout(), path).getFirst();
            parent = path;
            path = string(layer, "full-backing-filename");
            format = string(layer, "backing-filename-format");
        }
        return VirtException.of(
                ErrorCode.INTERNAL_ERROR,
                ErrorDomain.QEMU,
                "qemu-img cannot read the backing chain of '" + top + "': " + stderr.strip());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> layers(String json, String image) {
        Object v;
        try {
            v = JsonText.parse(json);
        } catch (IllegalArgumentException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "qemu-img printed no JSON for '" + image + "': " + e.getMessage(),
                    e);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (v instanceof Map<?, ?> one) {
            out.add((Map<String, Object>) one);
        } else if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        if (out.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "qemu-img described no image for '" + image + "'");
        }
        return out;
    }

    private static String string(Map<String, Object> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    private record Result(int exit, String stdout, String stderr) {}

    private Result run(String image, String format, boolean chain) {
        // -U (force-share): the image may be open in a running QEMU (a shared disk whose guest migrates here, or
        // a disk hot-plugged next to one in use); reading its header needs no lock.
        List<String> cmd = new ArrayList<>(List.of(qemuImg.toString(), "info", "-U", "--output=json"));
        if (chain) {
            cmd.add("--backing-chain");
        }
        if (format != null) {
            cmd.addAll(List.of("-f", format));
        }
        cmd.add(image);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "cannot run " + qemuImg + ": " + e.getMessage(), e);
        }
        try (InputStream out = p.getInputStream();
                InputStream err = p.getErrorStream()) {
            p.getOutputStream().close();
            CompletableFuture<byte[]> errBytes = CompletableFuture.supplyAsync(() -> readAll(err));
            String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw VirtException.of(
                        ErrorCode.OPERATION_TIMEOUT,
                        ErrorDomain.QEMU,
                        "qemu-img info of '" + image + "' took longer than " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), stdout, new String(errBytes.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            p.destroyForcibly();
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "reading qemu-img's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw VirtException.of(ErrorCode.OPERATION_ABORTED, ErrorDomain.QEMU, "interrupted reading a disk chain");
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}

package io.jvirt.driver.process;

import io.jvirt.config.BackingStore;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskDetectZeroes;
import io.jvirt.config.DiskDevice;
import io.jvirt.config.DiskDiscard;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DiskSource;
import io.jvirt.config.DiskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A disk's block node graph as libvirt builds it for {@code -blockdev}: for each image of the chain a protocol
 * node ({@code file}, {@code host_device}, or {@code host_cdrom} for a cdrom on a block device) and, unless the image
 * is raw, a format node on top of it whose {@code backing} is the next image's top node ({@code null} at the end of
 * a known chain; left out when the chain is not known). A raw image needs no format layer, so its protocol node is
 * the one the device (or the image above) uses. Node names come from {@link BlockNodeNames}. Stateless.
 */
public final class DiskBlockdevs {
    private DiskBlockdevs() {}

    /**
     * The node objects of {@code disk} (a live disk: it must have its alias), in the order QEMU must create them
     * ({@code -blockdev} or QMP {@code blockdev-add}): the deepest backing image first, each image's protocol node
     * before its format node. Each map holds the plain Java values of {@link io.jvirt.qmp.Monitor#execute}, in
     * libvirt's key order, so it serves both as {@code -blockdev} JSON (through {@link io.jvirt.qmp.JsonText}) and as
     * the arguments of {@code blockdev-add} for hot-plug or a migration's target. Empty for an empty cdrom.
     */
    public static List<Map<String, Object>> nodes(DiskDef disk) {
        List<Image> chain = chain(disk);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Image image = chain.get(i);
            out.add(storageNode(disk, image));
            if (image.hasFormatLayer()) {
                out.add(formatNode(disk, chain, i));
            }
        }
        return out;
    }

    /**
     * The node the guest device reads ({@code drive} of {@code -device}/{@code device_add}): the format node of the
     * disk's own image, or its protocol node when it is raw; null for an empty cdrom.
     */
    public static String topNodeName(DiskDef disk) {
        List<Image> chain = chain(disk);
        return chain.isEmpty() ? null : chain.getFirst().topNodeName();
    }

    /**
     * Every node name of {@code disk}, top image first and, within an image, the format node before the protocol
     * node: what {@code blockdev-del} must remove, in that order, after the device is gone.
     */
    public static List<String> nodeNames(DiskDef disk) {
        List<String> names = new ArrayList<>();
        for (Image image : chain(disk)) {
            if (image.hasFormatLayer()) {
                names.add(BlockNodeNames.format(image.alias(), image.index()));
            }
            names.add(BlockNodeNames.storage(image.alias(), image.index()));
        }
        return names;
    }

    /** One image of the chain: 0 is the disk's own. */
    private record Image(String alias, int index, DiskSource source, DiskFormat format, boolean readOnly) {
        boolean hasFormatLayer() {
            return format != DiskFormat.RAW;
        }

        String topNodeName() {
            return hasFormatLayer() ? BlockNodeNames.format(alias, index) : BlockNodeNames.storage(alias, index);
        }
    }

    private static List<Image> chain(DiskDef disk) {
        if (disk.alias() == null) {
            throw new IllegalArgumentException("disk " + disk.targetDev() + " has no alias yet");
        }
        List<Image> chain = new ArrayList<>();
        if (disk.source().isEmpty()) {
            return chain;
        }
        DiskFormat top = disk.format() == null ? DiskFormat.RAW : disk.format();
        chain.add(new Image(disk.alias(), 0, disk.source(), top, disk.readonly()));
        List<BackingStore> backing = disk.backingImages();
        for (int i = 0; i < backing.size(); i++) {
            BackingStore b = backing.get(i);
            chain.add(new Image(disk.alias(), i + 1, b.source(), b.format(), true));
        }
        return chain;
    }

    private static Map<String, Object> storageNode(DiskDef disk, Image image) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("driver", protocolDriver(disk, image));
        n.put("filename", image.source().path());
        if (disk.driver().io() != null) {
            n.put("aio", disk.driver().io().xml());
        }
        n.put("node-name", BlockNodeNames.storage(image.alias(), image.index()));
        if (image.hasFormatLayer()) {
            // The format node decides; the protocol node lets discards through and opens read-only when it can.
            n.put("auto-read-only", true);
            n.put("discard", "unmap");
            cache(disk, n);
        } else {
            common(disk, image, n);
        }
        return n;
    }

    private static Map<String, Object> formatNode(DiskDef disk, List<Image> chain, int i) {
        Image image = chain.get(i);
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("node-name", BlockNodeNames.format(image.alias(), image.index()));
        common(disk, image, n);
        n.put("driver", image.format().xml());
        n.put("file", BlockNodeNames.storage(image.alias(), image.index()));
        if (image.format() != DiskFormat.RAW) {
            if (i + 1 < chain.size()) {
                n.put("backing", chain.get(i + 1).topNodeName());
            } else if (BackingStore.isComplete(disk.backingStore())) {
                n.put("backing", null);
            }
        }
        return n;
    }

    /** What the top node of an image carries: read-only, cache, discard and (disk's own image only) detect-zeroes. */
    private static void common(DiskDef disk, Image image, Map<String, Object> n) {
        n.put("read-only", image.readOnly());
        cache(disk, n);
        DiskDiscard discard = disk.driver().discard();
        if (discard != null) {
            n.put("discard", discard.xml());
        }
        DiskDetectZeroes dz = disk.driver().detectZeroes();
        if (image.index() == 0 && dz != null) {
            // QEMU's detect-zeroes=unmap needs discard=unmap; libvirt asks for plain "on" otherwise.
            n.put("detect-zeroes", dz == DiskDetectZeroes.UNMAP && discard != DiskDiscard.UNMAP ? "on" : dz.xml());
        }
    }

    private static void cache(DiskDef disk, Map<String, Object> n) {
        DiskCacheMode mode = DiskCacheMode.of(disk.driver().cache());
        if (mode != null) {
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("direct", mode.direct());
            cache.put("no-flush", mode.noFlush());
            n.put("cache", cache);
        }
    }

    private static String protocolDriver(DiskDef disk, Image image) {
        if (image.source().type() == DiskType.FILE) {
            return "file";
        }
        return image.index() == 0 && disk.device() == DiskDevice.CDROM ? "host_cdrom" : "host_device";
    }
}

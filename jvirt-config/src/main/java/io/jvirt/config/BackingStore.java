package io.jvirt.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One link of a disk's backing chain ({@code <backingStore>}), nested as in the XML: the image's {@code source}
 * and {@code format}, and what backs it in turn ({@code backing}; null when not known, which the driver reads from
 * the image). The end of a known chain is the empty element {@code <backingStore/>}: {@link #end} with a null
 * source. {@code index} numbers the chain below the disk's own image (1 for the first backing image, as in
 * {@code vda[1]}), 0 when not assigned; it is written in live XML only. {@code detected} links were read from the
 * images when the domain started, not written by the user, so only live XML shows them, as libvirt does. Unknown
 * attributes and children are kept with the disk's.
 */
public record BackingStore(DiskSource source, DiskFormat format, int index, BackingStore backing, boolean detected) {

    /** {@code <backingStore/>}: the image above has no backing image. */
    public static BackingStore end(boolean detected) {
        return new BackingStore(null, null, 0, null, detected);
    }

    /** Whether this is the {@code <backingStore/>} terminator. */
    public boolean isEnd() {
        return source == null;
    }

    /**
     * The backing images of a chain that starts with {@code first} (null gives none), top first, without the
     * terminator.
     */
    public static List<BackingStore> images(BackingStore first) {
        List<BackingStore> out = new ArrayList<>();
        for (BackingStore b = first; b != null && !b.isEnd(); b = b.backing()) {
            out.add(b);
        }
        return out;
    }

    /** Whether the chain starting with {@code first} is known to its end ({@code <backingStore/>}). */
    public static boolean isComplete(BackingStore first) {
        BackingStore b = first;
        while (b != null && !b.isEnd()) {
            b = b.backing();
        }
        return b != null;
    }
}

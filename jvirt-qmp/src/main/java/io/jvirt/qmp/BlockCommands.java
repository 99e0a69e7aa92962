package io.jvirt.qmp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The block-layer commands storage migration uses, in Java terms, over one {@link Monitor}: finding a disk's node
 * ({@code query-block}), the destination's NBD server and exports, and the source's NBD client nodes and mirror
 * jobs. Argument names are QEMU 10's.
 *
 * <p>Threading: as the monitor; any thread, concurrently.
 */
public final class BlockCommands {
    private final Monitor monitor;

    public BlockCommands(Monitor monitor) {
        this.monitor = monitor;
    }

    /** {@code query-block}: every block backend, in QEMU's order. */
    public List<BlockDevice> queryBlock() throws IOException {
        List<BlockDevice> out = new ArrayList<>();
        for (Map<?, ?> b : list(monitor.execute("query-block", null).get("return"))) {
            Map<?, ?> inserted = b.get("inserted") instanceof Map<?, ?> m ? m : null;
            Map<?, ?> image = inserted != null && inserted.get("image") instanceof Map<?, ?> m ? m : Map.of();
            out.add(new BlockDevice(
                    string(b.get("device"), ""),
                    string(b.get("qdev"), null),
                    inserted == null ? null : string(inserted.get("node-name"), null),
                    inserted == null ? null : string(inserted.get("file"), null),
                    inserted == null ? null : string(inserted.get("drv"), null),
                    number(image.get("virtual-size")),
                    inserted != null && Boolean.TRUE.equals(inserted.get("ro"))));
        }
        return out;
    }

    /** {@code query-block-jobs}: the block jobs that exist now (a dismissed or auto-dismissed job is gone). */
    public List<BlockJobInfo> queryBlockJobs() throws IOException {
        List<BlockJobInfo> out = new ArrayList<>();
        for (Map<?, ?> j : list(monitor.execute("query-block-jobs", null).get("return"))) {
            out.add(new BlockJobInfo(
                    string(j.get("device"), ""),
                    string(j.get("type"), ""),
                    number(j.get("len")),
                    number(j.get("offset")),
                    number(j.get("speed")),
                    Boolean.TRUE.equals(j.get("ready")),
                    string(j.get("status"), "")));
        }
        return out;
    }

    /** {@code nbd-server-start}: QEMU's one NBD server listens at {@code address}. */
    public void nbdServerStart(NbdAddress address) throws IOException {
        nbdServerStart(address, null);
    }

    /** As {@link #nbdServerStart(NbdAddress)}; clients must speak TLS with credentials object {@code tlsCreds}. */
    public void nbdServerStart(NbdAddress address, String tlsCreds) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("addr", address.legacy());
        if (tlsCreds != null) {
            args.put("tls-creds", tlsCreds);
        }
        monitor.execute("nbd-server-start", args);
    }

    /** {@code nbd-server-stop}: the server and every export on it go. */
    public void nbdServerStop() throws IOException {
        monitor.execute("nbd-server-stop", null);
    }

    /** {@code block-export-add} of type nbd: node {@code nodeName} served as export {@code name}. */
    public void blockExportAdd(String id, String nodeName, String name, boolean writable) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("type", "nbd");
        args.put("id", id);
        args.put("node-name", nodeName);
        args.put("writable", writable);
        args.put("name", name);
        monitor.execute("block-export-add", args);
    }

    /** {@code blockdev-add} of an NBD client node that connects to export {@code export} at {@code server}. */
    public void blockdevAddNbd(String nodeName, NbdAddress server, String export) throws IOException {
        blockdevAddNbd(nodeName, server, export, null, null);
    }

    /**
     * As {@link #blockdevAddNbd(String, NbdAddress, String)} over TLS with credentials object {@code tlsCreds}
     * (null: plain), checking the server's certificate against {@code tlsHostname} (null: the server's host).
     */
    public void blockdevAddNbd(String nodeName, NbdAddress server, String export, String tlsCreds, String tlsHostname)
            throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("driver", "nbd");
        args.put("node-name", nodeName);
        args.put("server", server.flat());
        args.put("export", export);
        if (tlsCreds != null) {
            args.put("tls-creds", tlsCreds);
        }
        if (tlsHostname != null) {
            args.put("tls-hostname", tlsHostname);
        }
        args.put("read-only", false);
        monitor.execute("blockdev-add", args);
    }

    /** {@code blockdev-del}: removes a node nothing uses any more. */
    public void blockdevDel(String nodeName) throws IOException {
        monitor.execute("blockdev-del", Map.of("node-name", nodeName));
    }

    /**
     * {@code blockdev-mirror}: job {@code jobId} copies node {@code device} to node {@code target} and then follows
     * the guest's writes. {@code shallow} copies only the top image ({@code sync: top}); {@code speedBytes} 0 is no
     * limit; {@code writeBlocking} makes every guest write wait until the target has it too.
     */
    public void blockdevMirror(
            String jobId, String device, String target, boolean shallow, long speedBytes, boolean writeBlocking)
            throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("job-id", jobId);
        args.put("device", device);
        args.put("target", target);
        args.put("sync", shallow ? "top" : "full");
        if (speedBytes > 0) {
            args.put("speed", speedBytes);
        }
        if (writeBlocking) {
            args.put("copy-mode", "write-blocking");
        }
        monitor.execute("blockdev-mirror", args);
    }

    /** {@code block-job-set-speed}: a running job's new rate limit in bytes/s, 0 for none. */
    public void blockJobSetSpeed(String jobId, long speedBytes) throws IOException {
        monitor.execute("block-job-set-speed", Map.of("device", jobId, "speed", speedBytes));
    }

    /**
     * {@code block-job-cancel}: without {@code force} a ready mirror finishes with its target in sync; with it, or
     * before ready, the job stops where it is.
     */
    public void blockJobCancel(String jobId, boolean force) throws IOException {
        monitor.execute("block-job-cancel", Map.of("device", jobId, "force", force));
    }

    private static List<Map<?, ?>> list(Object value) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static String string(Object value, String absent) {
        return value instanceof String s ? s : absent;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}

package io.jvirt.driver.device;

import io.jvirt.api.InterfaceStats;
import io.jvirt.api.TypedParam;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code block} and {@code interface} groups of libvirt's bulk domain statistics: per disk of the domain XML
 * its name, source and counters ({@code query-blockstats}) and sizes ({@code query-block}); per NIC its host
 * device and that device's counters as the guest sees them.
 *
 * <p>Threading: the caller's thread, inside a query job of the domain.
 */
public final class DeviceStatsGroups {
    /** libvirt's {@code block.N.} names and the {@code query-blockstats} member each comes from. */
    private static final List<String[]> BLOCK = List.of(
            new String[] {"rd.reqs", "rd_operations"},
            new String[] {"rd.bytes", "rd_bytes"},
            new String[] {"rd.times", "rd_total_time_ns"},
            new String[] {"wr.reqs", "wr_operations"},
            new String[] {"wr.bytes", "wr_bytes"},
            new String[] {"wr.times", "wr_total_time_ns"},
            new String[] {"fl.reqs", "flush_operations"},
            new String[] {"fl.times", "flush_total_time_ns"});

    private static final Path PROC_NET_DEV = Path.of("/proc/net/dev");

    private DeviceStatsGroups() {}

    /** Adds {@code block.count} and each disk's parameters; counters and sizes only while {@code run} is not null. */
    public static void block(DomainObj dom, QemuRun run, DomainDef def, List<TypedParam> out) {
        List<DiskDef> disks = def.disks();
        out.add(new TypedParam("block.count", TypedParam.Type.UINT, disks.size()));
        List<Map<String, Object>> stats =
                run == null ? List.of() : BlockNodes.query(dom, run.monitor(), "query-blockstats");
        List<Map<String, Object>> blocks =
                run == null ? List.of() : BlockNodes.query(dom, run.monitor(), "query-block");
        for (int i = 0; i < disks.size(); i++) {
            DiskDef disk = disks.get(i);
            String p = "block." + i + ".";
            out.add(TypedParam.string(p + "name", disk.targetDev()));
            if (disk.sourceFile() != null) {
                out.add(TypedParam.string(p + "path", disk.sourceFile()));
            }
            if (disk.alias() == null) {
                continue;
            }
            Map<String, Object> entry = BlockNodes.entryFor(stats, disk.alias());
            if (entry != null) {
                for (String[] s : BLOCK) {
                    long v = BlockNodes.number(entry.get("stats"), s[1], -1);
                    if (v >= 0) {
                        out.add(TypedParam.ullong(p + s[0], v));
                    }
                }
            }
            Map<String, Object> block = BlockNodes.entryFor(blocks, disk.alias());
            if (block != null && block.get("inserted") instanceof Map<?, ?> inserted) {
                Object image = inserted.get("image");
                long physical = BlockNodes.number(image, "actual-size", -1);
                long capacity = BlockNodes.number(image, "virtual-size", -1);
                long highest = entry == null || !(entry.get("parent") instanceof Map<?, ?> parent)
                        ? -1
                        : BlockNodes.number(parent.get("stats"), "wr_highest_offset", -1);
                if (highest >= 0 || physical >= 0) {
                    out.add(TypedParam.ullong(p + "allocation", highest >= 0 ? highest : physical));
                }
                if (capacity >= 0) {
                    out.add(TypedParam.ullong(p + "capacity", capacity));
                }
                if (physical >= 0) {
                    out.add(TypedParam.ullong(p + "physical", physical));
                }
            }
        }
    }

    /**
     * Adds {@code net.count} and each NIC's host device name and counters; a user-mode NIC has no host device, so
     * it is named by its alias and has no counters.
     */
    public static void net(DomainDef def, boolean running, List<TypedParam> out) {
        List<InterfaceDef> nics = def.interfaces();
        out.add(new TypedParam("net.count", TypedParam.Type.UINT, nics.size()));
        String procNetDev = running ? read(PROC_NET_DEV) : "";
        for (int i = 0; i < nics.size(); i++) {
            InterfaceDef nic = nics.get(i);
            String p = "net." + i + ".";
            String dev = InterfaceQueries.hostDevice(nic);
            String name = dev != null ? dev : nic.alias();
            if (name != null) {
                out.add(TypedParam.string(p + "name", name));
            }
            InterfaceStats s = dev == null || !running ? null : HostNetFiles.counters(procNetDev, dev, true);
            if (s != null) {
                out.add(TypedParam.ullong(p + "rx.bytes", s.rxBytes()));
                out.add(TypedParam.ullong(p + "rx.pkts", s.rxPackets()));
                out.add(TypedParam.ullong(p + "rx.errs", s.rxErrs()));
                out.add(TypedParam.ullong(p + "rx.drop", s.rxDrop()));
                out.add(TypedParam.ullong(p + "tx.bytes", s.txBytes()));
                out.add(TypedParam.ullong(p + "tx.pkts", s.txPackets()));
                out.add(TypedParam.ullong(p + "tx.errs", s.txErrs()));
                out.add(TypedParam.ullong(p + "tx.drop", s.txDrop()));
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.ControlInfo;
import io.jvirt.api.DomainRef;
import io.jvirt.api.DomainStatsRecord;
import io.jvirt.api.ListFlags;
import io.jvirt.api.MemoryStat;
import io.jvirt.api.NodeCpuMap;
import io.jvirt.api.StatsTypes;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VcpuInfo;
import io.jvirt.guest.GuestDisk;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The statistics and host commands monitoring tools use, through the stock virsh and the libvirt Python binding
 * against jvirtd, one guest boot (192 MiB, one vCPU, a virtio balloon): {@code domstats} with libvirt's group and
 * field names, {@code dommemstat} (and its {@code --period}), {@code vcpuinfo}, {@code cpu-stats --total},
 * {@code domcontrol}, and the host's {@code nodecpumap}, {@code sysinfo}, {@code freecell}, {@code nodememstats},
 * {@code nodecpustats}, {@code maxvcpus}, {@code cpu-models}; values checked against the guest's definition and
 * the host's /proc, and libvirt's errors for what jvirt does not report.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsVirshIT {
    private static final long MEMORY_KIB = 192 * 1024;
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long DISK_BYTES = 16L << 20;
    private static final String MAC = "52:54:00:aa:cc:01";

    private TwoDaemons hosts;
    private VirshHost host;
    private Virsh virsh;

    @BeforeAll
    void boot() throws Exception {
        hosts = TwoDaemons.none("jvirtd-stats-it-");
        host = hosts.startInJvm("A", TwoDaemons::config);
        hosts.daemon(host).awaitReady();
        virsh = host.virsh();
        try (RandomAccessFile f = new RandomAccessFile(image().toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        }
        GuestBoot.boot(
                virsh,
                hosts.base,
                "g1",
                serial -> TwoDaemons.guestXml(
                                "g1", serial, g -> g.memoryMiB(192).fillMiB(32).disk(GuestDisk.file(image())))
                        .replace("<memballoon model='none'/>", "<memballoon model='virtio'/>")
                        .replace(
                                "</devices>",
                                "<interface type='ethernet'><mac address='" + MAC
                                        + "'/><model type='virtio'/></interface></devices>"));
    }

    @AfterAll
    void stop() throws Exception {
        if (virsh != null) {
            virsh.run("destroy", "g1");
            virsh.run("undefine", "g1");
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    private Path image() {
        return hosts.base.resolve("d1.raw");
    }

    private Virsh.Result ok(String... args) throws Exception {
        Virsh.Result r = virsh.run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.all()).isZero();
        return r;
    }

    /** virsh domstats' "  name=value" lines. */
    private Map<String, String> domstats(String... args) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : ok(args).out().lines().toList()) {
            int eq = line.indexOf('=');
            if (line.startsWith("  ") && eq > 0) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
        }
        return out;
    }

    @Test
    void domstatsReportsLibvirtsGroups() throws Exception {
        Map<String, String> s = domstats("domstats", "g1");
        assertThat(s).containsEntry("state.state", "1").containsEntry("state.reason", "1");
        assertThat(s)
                .containsEntry("balloon.current", Long.toString(MEMORY_KIB))
                .containsEntry("balloon.maximum", Long.toString(MEMORY_KIB));
        assertThat(Long.parseLong(s.get("balloon.rss"))).isPositive();
        assertThat(s)
                .containsEntry("vcpu.current", "1")
                .containsEntry("vcpu.maximum", "1")
                .containsEntry("vcpu.0.state", "1");
        assertThat(s).containsKeys("cpu.time", "cpu.user", "cpu.system", "vcpu.0.time");
        // The disk and the NIC of the domain XML, with their counters.
        assertThat(s)
                .containsEntry("block.count", "1")
                .containsEntry("block.0.name", "vda")
                .containsEntry("block.0.path", image().toString())
                .containsEntry("block.0.capacity", Long.toString(DISK_BYTES))
                .containsKeys(
                        "block.0.rd.reqs",
                        "block.0.rd.bytes",
                        "block.0.wr.reqs",
                        "block.0.fl.reqs",
                        "block.0.allocation",
                        "block.0.physical");
        assertThat(s).containsEntry("net.count", "1").containsKeys("net.0.name", "net.0.rx.bytes", "net.0.tx.pkts");
        assertThat(s.get("net.0.name")).isEqualTo(domiflistTarget());
        long cpu = Long.parseLong(s.get("cpu.time"));
        assertThat(cpu).isPositive();
        assertThat(Long.parseLong(s.get("vcpu.0.time"))).isPositive().isLessThanOrEqualTo(cpu);
        // The guest keeps running, so its CPU time keeps rising.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        Long.parseLong(domstats("domstats", "g1", "--cpu-total").get("cpu.time")) > cpu);

        Map<String, String> only = domstats("domstats", "--list-active", "--state", "--vcpu");
        assertThat(only.keySet())
                .containsExactly(
                        "state.state",
                        "state.reason",
                        "vcpu.current",
                        "vcpu.maximum",
                        "vcpu.0.state",
                        "vcpu.0.time",
                        "vcpu.0.wait",
                        "vcpu.0.delay");

        Virsh.Result perf = virsh.run("domstats", "g1", "--perf", "--enforce");
        assertThat(perf.exit()).isNotZero();
        assertThat(perf.err())
                .contains("error: argument unsupported: Stats types bits 0x40 are not supported by this daemon");
        // Without --enforce an unsupported group is left out, as libvirtd does.
        assertThat(domstats("domstats", "g1", "--perf")).isEmpty();
    }

    @Test
    void memoryVcpuCpuAndControl() throws Exception {
        String mem = ok("dommemstat", "g1").out();
        assertThat(mem).contains("actual " + MEMORY_KIB).containsPattern("(?m)^rss [1-9][0-9]*$");
        ok("dommemstat", "g1", "--period", "2", "--live");
        Virsh.Result config = virsh.run("dommemstat", "g1", "--period", "2", "--config");
        assertThat(config.exit()).isNotZero();
        assertThat(config.err()).contains("error: argument unsupported:");

        String vcpu = ok("vcpuinfo", "g1").out();
        int hostCpus = Runtime.getRuntime().availableProcessors();
        assertThat(vcpu)
                .containsPattern("VCPU: +0")
                .containsPattern("State: +running")
                .containsPattern("CPU time: +[0-9.]+s")
                .containsPattern("CPU Affinity: +" + "y".repeat(hostCpus));

        String cpu = ok("cpu-stats", "g1", "--total").out();
        assertThat(cpu).contains("Total:").containsPattern("cpu_time +[0-9.]+ seconds");
        Virsh.Result perCpu = virsh.run("cpu-stats", "g1");
        assertThat(perCpu.exit()).isNotZero();
        assertThat(perCpu.err()).contains("cgroup CPUACCT controller is not mounted");

        assertThat(ok("domcontrol", "g1").out().strip()).isEqualTo("ok");
    }

    @Test
    void hostCommands() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(ok("nodecpumap").out())
                .containsPattern("CPUs present: +" + cpus)
                .containsPattern("CPUs online: +" + cpus)
                .containsPattern("CPU map: +" + "y".repeat(cpus));
        assertThat(ok("sysinfo").out()).startsWith("<sysinfo type='smbios'>").contains("<processor>");
        assertThat(ok("freecell").out()).containsPattern("Total: +[1-9][0-9]* KiB");
        assertThat(ok("freecell", "0").out()).containsPattern("0: +[1-9][0-9]* KiB");
        long totalKiB = meminfo("MemTotal");
        assertThat(ok("nodememstats").out())
                .containsPattern("total +: +" + totalKiB + " KiB")
                .containsPattern("free +: +[0-9]+ KiB");
        assertThat(ok("nodecpustats").out()).containsPattern("user: +[0-9]+").containsPattern("idle: +[0-9]+");
        assertThat(ok("maxvcpus").out().strip()).isEqualTo("16");
        assertThat(ok("cpu-models", "x86_64").out()).contains("qemu64");
        Virsh.Result bad = virsh.run("cpu-models", "nosuch");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("error: invalid argument: cannot find architecture nosuch");
    }

    /** jvirt's own client (jvirt-remote) over the daemon's socket. */
    @Test
    void javaClient() throws Exception {
        try (Connection c = Connections.open("qemu+unix:///system?socket=" + host.socket())) {
            DomainRef g1 = c.lookupByName("g1");
            DomainStatsRecord rec = c.domainStats(List.of(g1), StatsTypes.BALLOON | StatsTypes.VCPU, 0)
                    .getFirst();
            assertThat(rec.domain().name()).isEqualTo("g1");
            assertThat(TypedParam.find(rec.params(), "balloon.current")).contains(MEMORY_KIB);
            assertThat(TypedParam.find(rec.params(), "vcpu.current")).contains(1);
            assertThat(c.domainStats(List.of(), 0, ListFlags.ACTIVE))
                    .extracting(r -> r.domain().name())
                    .containsExactly("g1");
            assertThat(c.memoryStats(g1, 0)).contains(new MemoryStat(MemoryStat.ACTUAL_BALLOON, MEMORY_KIB));
            int cpus = Runtime.getRuntime().availableProcessors();
            List<Integer> all =
                    java.util.stream.IntStream.range(0, cpus).boxed().toList();
            assertThat(c.vcpus(g1)).singleElement().satisfies(v -> {
                assertThat(v.state()).isEqualTo(VcpuInfo.RUNNING);
                assertThat(v.cpuTimeNs()).isPositive();
                assertThat(v.affinity()).isEqualTo(all);
            });
            assertThat(c.controlInfo(g1, 0)).isEqualTo(new ControlInfo(ControlInfo.OK, 0, 0));
            assertThat(c.cpuMap(0)).isEqualTo(new NodeCpuMap(cpus, all));
            assertThat(c.nodeMemoryStats(-1, 0))
                    .containsKeys("total", "free", "buffers", "cached")
                    .containsEntry("total", meminfo("MemTotal"));
            assertThat(c.nodeCpuStats(-1, 0)).containsOnlyKeys("kernel", "user", "idle", "iowait");
            assertThat(c.freeMemory()).isPositive();
            assertThat(c.cellsFreeMemory(0, 1)).hasSize(1);
            assertThat(c.sysinfo(0)).startsWith("<sysinfo type='smbios'>");
            assertThat(c.maxVcpus(null)).isEqualTo(16);
            assertThat(c.cpuModelNames("x86_64", 0)).contains("qemu64");
        }
    }

    /** The NIC's host device as {@code virsh domiflist} shows it. */
    private String domiflistTarget() throws Exception {
        return ok("domiflist", "g1")
                .out()
                .lines()
                .filter(l -> l.contains(MAC))
                .map(l -> l.strip().split("\\s+")[0])
                .findFirst()
                .orElseThrow();
    }

    /** The libvirt Python binding, as a monitoring agent uses it. */
    @Test
    void pythonBinding() throws Exception {
        Path script = hosts.base.resolve("stats.py");
        Files.writeString(script, """
                import sys, libvirt
                c = libvirt.open(sys.argv[1])
                for dom, stats in c.getAllDomainStats():
                    for k in sorted(stats):
                        print("all", dom.name(), k, stats[k])
                d = c.lookupByName("g1")
                for dom, stats in c.domainListGetStats([d], libvirt.VIR_DOMAIN_STATS_BALLOON):
                    print("list", dom.name(), "balloon.current", stats["balloon.current"])
                for k, v in sorted(d.memoryStats().items()):
                    print("mem", k, v)
                info, maps = d.vcpus()
                print("vcpus", len(info), info[0][1], info[0][2] > 0, all(maps[0]))
                print("sysinfo", c.getSysinfo().startswith("<sysinfo"))
                print("cpumap", c.getCPUMap()[0], c.getCPUMap()[2])
                print("free", c.getFreeMemory() > 0)
                print("control", d.controlInfo())
                print("maxvcpus", c.getMaxVcpus(None))
                """);
        Process p = new ProcessBuilder(
                        PYTHON.toString(), script.toString(), "qemu+unix:///system?socket=" + host.socket())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(out)
                .contains("all g1 state.state 1")
                .contains("all g1 balloon.current " + MEMORY_KIB)
                .contains("all g1 vcpu.current 1")
                .containsPattern("all g1 cpu.time [1-9]")
                .contains("list g1 balloon.current " + MEMORY_KIB)
                .contains("mem actual " + MEMORY_KIB)
                .containsPattern("mem rss [1-9]")
                .contains("vcpus 1 1 True True")
                .contains("sysinfo True")
                .contains("cpumap " + cpus + " " + cpus)
                .contains("free True")
                .contains("control [0, 0, 0]")
                .contains("maxvcpus 16");
    }

    private static long meminfo(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).strip().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(key + " not in /proc/meminfo");
    }
}

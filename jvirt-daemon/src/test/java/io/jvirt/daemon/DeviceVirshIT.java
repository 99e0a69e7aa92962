package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.Connections;
import io.jvirt.api.DomainEvent;
import io.jvirt.api.DomainEventId;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The stock virsh's device commands against jvirtd, one guest boot: a qcow2 disk and a user NIC attached to the
 * configuration before start, then a second disk hot-plugged and unplugged (DEVICE_REMOVED seen by
 * {@code virsh event}), with {@code domblklist}, {@code domblkstat}, {@code domblkinfo}, {@code domiflist},
 * {@code domifstat} and {@code domifaddr} read as a virsh user reads them, and libvirt's errors where virsh
 * asks for what is not there. Then a qcow2 chain and a bridged NIC (on a bridge of the test's own) are hot-plugged,
 * the guest migrates live to a second jvirtd ({@code virsh migrate --p2p}, the disks shared) and arrives whole with
 * both, on a tap of its own there, where both are unplugged again.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviceVirshIT {
    private static final long IMAGE_BYTES = 64L << 20;
    private static final String MAC = "52:54:00:aa:bb:01";
    private static final String BRIDGED_MAC = "52:54:00:aa:bb:02";
    private static final Path SYS_NET = Path.of("/sys/class/net");

    private final String bridge =
            "jvbrd" + Long.toString(ProcessHandle.current().pid() % 46656, 36);

    private TwoDaemons hosts;
    private Path root;
    /** Where the guest's images, serial log and XML files live: outside both roots, as shared storage would be. */
    private Path data;

    private Virsh virsh;

    @BeforeAll
    void startDaemon() throws Exception {
        hosts = TwoDaemons.none("jvirtd-dev-it-");
        VirshHost host = hosts.startInJvm("A", TwoDaemons::config);
        root = host.root();
        data = hosts.base;
        hosts.daemon(host).awaitReady();
        virsh = host.virsh();
        for (String image : List.of("d1.qcow2", "d2.qcow2")) {
            Process p = new ProcessBuilder(
                            "qemu-img",
                            "create",
                            "-q",
                            "-f",
                            "qcow2",
                            data.resolve(image).toString(),
                            "64M")
                    .inheritIO()
                    .start();
            assertThat(p.waitFor()).isZero();
        }
        Path xml = data.resolve("g1.xml");
        Files.writeString(
                xml,
                TwoDaemons.guestXml(
                        "g1",
                        data.resolve("g1.serial.log"),
                        g -> g.memoryMiB(192).fillMiB(32)));
        assertThat(virsh.run("define", xml.toString()).exit()).isZero();
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (virsh != null) {
            virsh.run("destroy", "g1");
            virsh.run("undefine", "g1");
        }
        try {
            hosts.close();
        } finally {
            new ProcessBuilder("ip", "link", "del", bridge)
                    .redirectErrorStream(true)
                    .start()
                    .waitFor();
        }
    }

    private Path diskXml(String name, String image, String target) throws Exception {
        Path file = data.resolve(name);
        Files.writeString(file, """
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='%s'/>
                  <target dev='%s' bus='virtio'/>
                </disk>
                """.formatted(data.resolve(image), target));
        return file;
    }

    private Path nicXml(String name, String mac) throws Exception {
        Path file = data.resolve(name);
        Files.writeString(
                file,
                "<interface type='user'>" + (mac == null ? "" : "<mac address='" + mac + "'/>")
                        + "<model type='virtio'/></interface>\n");
        return file;
    }

    @Test
    @Order(1)
    void configAttachShowsInTheInactiveLists() throws Exception {
        Path vda = diskXml("vda.xml", "d1.qcow2", "vda");
        Virsh.Result attach = virsh.run("attach-device", "g1", vda.toString(), "--config");
        assertThat(attach.exit()).as(attach.all()).isZero();
        assertThat(attach.out()).contains("Device attached successfully");
        Virsh.Result again = virsh.run("attach-device", "g1", vda.toString(), "--config");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("error: Requested operation is not valid: target vda already exists");

        Virsh.Result nic =
                virsh.run("attach-device", "g1", nicXml("nic1.xml", MAC).toString(), "--config");
        assertThat(nic.exit()).as(nic.all()).isZero();

        assertThat(virsh.run("domblklist", "g1", "--inactive").out())
                .containsPattern("vda\\s+" + data.resolve("d1.qcow2"));
        assertThat(virsh.run("domiflist", "g1", "--inactive").out())
                .containsPattern("-\\s+user\\s+-\\s+virtio\\s+" + MAC);
        assertThat(virsh.run("domblkinfo", "g1", "vda").out()).containsPattern("Capacity:\\s+" + IMAGE_BYTES);

        Virsh.Result missing = virsh.run("detach-disk", "g1", "vdz", "--config");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("No disk found whose source path or target is vdz");
        Path vdz = diskXml("vdz.xml", "d2.qcow2", "vdz");
        Virsh.Result notThere = virsh.run("detach-device", "g1", vdz.toString(), "--config");
        assertThat(notThere.err()).contains("error: device not found: no target device vdz");
    }

    @Test
    @Order(2)
    void runningGuestReportsItsDisksAndNic() throws Exception {
        long t0 = System.nanoTime();
        assertThat(virsh.run("start", "g1").exit()).isZero();
        SerialLog log = new SerialLog(data.resolve("g1.serial.log"));
        log.awaitReady(Duration.ofSeconds(120));
        System.out.printf("[it] boot g1: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        assertThat(virsh.run("domblklist", "g1").out()).containsPattern("vda\\s+" + data.resolve("d1.qcow2"));
        Virsh.Result stat = virsh.run("domblkstat", "g1", "vda");
        assertThat(stat.exit()).as(stat.all()).isZero();
        assertThat(stat.out())
                .containsPattern("vda rd_req \\d+")
                .containsPattern("vda rd_bytes \\d+")
                .containsPattern("vda wr_req \\d+")
                .containsPattern("vda wr_bytes \\d+")
                .containsPattern("vda flush_operations \\d+")
                .containsPattern("vda rd_total_times \\d+");
        assertThat(virsh.run("domblkstat", "g1").out()).containsPattern(" rd_req \\d+");
        assertThat(virsh.run("domblkstat", "g1", "vdq").err()).contains("error: invalid argument: invalid path: vdq");
        Virsh.Result info = virsh.run("domblkinfo", "g1", "vda");
        assertThat(info.out()).as(info.all()).containsPattern("Capacity:\\s+" + IMAGE_BYTES);
        assertThat(virsh.run("domblkinfo", "g1", "--all").out()).containsPattern("vda\\s+" + IMAGE_BYTES);

        assertThat(virsh.run("domiflist", "g1").out()).containsPattern("-\\s+user\\s+-\\s+virtio\\s+" + MAC);
        Virsh.Result ifstat = virsh.run("domifstat", "g1", MAC);
        assertThat(ifstat.exit()).isNotZero();
        assertThat(ifstat.err()).contains("error: internal error: /proc/net/dev: Interface not found");
        assertThat(virsh.run("domifstat", "g1", "vnet9").err())
                .contains("error: invalid argument: 'vnet9' is not a known interface");
        Virsh.Result arp = virsh.run("domifaddr", "g1", "--source", "arp");
        assertThat(arp.exit()).as(arp.all()).isZero();
        assertThat(arp.out()).contains("Name", "MAC address", "Protocol", "Address");
        assertThat(virsh.run("domifaddr", "g1", "--source", "agent").err())
                .contains("error: argument unsupported: QEMU guest agent is not configured");
    }

    @Test
    @Order(3)
    void hotPlugAndUnplugADisk() throws Exception {
        Path events = data.resolve("events.out");
        Process listener = virsh.command("event", "g1", "--event", "device-removed", "--loop", "--timeout", "120")
                .redirectOutput(events.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            Path vdc = diskXml("vdc.xml", "d2.qcow2", "vdc");
            long t0 = System.nanoTime();
            Virsh.Result attach = virsh.run("attach-device", "g1", vdc.toString(), "--live");
            assertThat(attach.exit()).as(attach.all()).isZero();
            System.out.printf("[it] hot-plug vdc: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(virsh.run("domblklist", "g1").out()).containsPattern("vdc\\s+" + data.resolve("d2.qcow2"));
            assertThat(virsh.run("domblklist", "g1", "--inactive").out()).doesNotContain("vdc");
            assertThat(virsh.run("dumpxml", "g1").out()).contains("<alias name='virtio-disk2'/>");
            assertThat(Files.readString(root.resolve("run/qemu/g1.xml"))).contains("d2.qcow2");
            assertThat(virsh.run("domblkstat", "g1", "vdc").out()).containsPattern("vdc wr_req \\d+");
            assertThat(virsh.run("domblkinfo", "g1", data.resolve("d2.qcow2").toString())
                            .out())
                    .containsPattern("Capacity:\\s+" + IMAGE_BYTES);
            Virsh.Result twice = virsh.run("attach-device", "g1", vdc.toString(), "--live");
            assertThat(twice.err()).contains("error: operation failed: target vdc already exists");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hosts.daemon(hosts.a()).someClientListensTo(ClientEvents.ID_DEVICE_REMOVED));
            t0 = System.nanoTime();
            Virsh.Result detach = virsh.run("detach-device", "g1", vdc.toString(), "--live");
            assertThat(detach.exit()).as(detach.all()).isZero();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(Files.readString(events))
                            .contains("event 'device-removed' for domain 'g1': virtio-disk2"));
            System.out.printf("[it] unplug vdc: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(virsh.run("domblklist", "g1").out()).doesNotContain("vdc");
            assertThat(Files.readString(root.resolve("run/qemu/g1.xml"))).doesNotContain("d2.qcow2");
            Virsh.Result gone = virsh.run("detach-device", "g1", vdc.toString(), "--live");
            assertThat(gone.err()).contains("error: device not found: disk vdc not found");
        } finally {
            listener.destroy();
            listener.waitFor();
        }
    }

    /**
     * virsh's shorthands, which write the device XML themselves, with {@code --persistent}: the running guest and
     * its definition both get the disk and the bridged NIC, and lose them again on detach (the tap with it).
     */
    @Test
    @Order(4)
    void attachDiskAndInterfaceShorthandsArePersistentToo() throws Exception {
        run("ip", "link", "add", bridge, "type", "bridge");
        try {
            Path image = data.resolve("d4.qcow2");
            run("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M");
            Virsh.Result disk = virsh.run(
                    "attach-disk",
                    "g1",
                    image.toString(),
                    "vde",
                    "--driver",
                    "qemu",
                    "--subdriver",
                    "qcow2",
                    "--targetbus",
                    "virtio",
                    "--persistent");
            assertThat(disk.exit()).as(disk.all()).isZero();
            assertThat(disk.out()).contains("Disk attached successfully");
            assertThat(virsh.run("domblklist", "g1").out()).containsPattern("vde\\s+" + image);
            assertThat(virsh.run("domblklist", "g1", "--inactive").out()).containsPattern("vde\\s+" + image);

            Virsh.Result nic = virsh.run(
                    "attach-interface",
                    "g1",
                    "bridge",
                    bridge,
                    "--model",
                    "virtio",
                    "--mac",
                    BRIDGED_MAC,
                    "--persistent");
            assertThat(nic.exit()).as(nic.all()).isZero();
            assertThat(nic.out()).contains("Interface attached successfully");
            String tap = tapOnBridge(virsh.run("dumpxml", "g1").out());
            assertThat(virsh.run("domiflist", "g1").out())
                    .containsPattern(tap + "\\s+bridge\\s+" + bridge + "\\s+virtio\\s+" + BRIDGED_MAC);
            assertThat(virsh.run("domiflist", "g1", "--inactive").out()).contains(BRIDGED_MAC);

            Virsh.Result dd = virsh.run("detach-disk", "g1", "vde", "--persistent");
            assertThat(dd.exit()).as(dd.all()).isZero();
            assertThat(dd.out()).contains("Disk detached successfully");
            Virsh.Result di = virsh.run("detach-interface", "g1", "bridge", "--mac", BRIDGED_MAC, "--persistent");
            assertThat(di.exit()).as(di.all()).isZero();
            assertThat(di.out()).contains("Interface detached successfully");
            assertThat(virsh.run("domblklist", "g1", "--inactive").out()).doesNotContain("vde");
            assertThat(virsh.run("domiflist", "g1", "--inactive").out()).doesNotContain(BRIDGED_MAC);
            // The guest lets both go in its own time; then QEMU's tap is closed and gone.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(virsh.run("domblklist", "g1").out()).doesNotContain("vde");
                assertThat(virsh.run("domiflist", "g1").out()).doesNotContain(BRIDGED_MAC);
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(SYS_NET.resolve(tap)));
        } finally {
            run("ip", "link", "del", bridge);
        }
    }

    @Test
    @Order(5)
    void hotPlugAUserNic() throws Exception {
        Virsh.Result nic =
                virsh.run("attach-device", "g1", nicXml("nic2.xml", null).toString(), "--live");
        assertThat(nic.exit()).as(nic.all()).isZero();
        assertThat(virsh.run("dumpxml", "g1").out()).contains("<alias name='net1'/>");
        assertThat(virsh.run("domiflist", "g1").out().lines().filter(l -> l.contains("user")))
                .hasSize(2);
        Virsh.Result update =
                virsh.run("update-device", "g1", data.resolve("vda.xml").toString(), "--live");
        assertThat(update.err())
                .contains("error: Operation not supported: live update of device 'disk' is not supported");
    }

    @Test
    @Order(6)
    void hotPluggedChainAndBridgedNicMigrateAndUnplugOnTheDestination() throws Exception {
        run("ip", "link", "add", bridge, "type", "bridge");
        Path chain = data.resolve("d3.qcow2");
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                "-b",
                data.resolve("d2.qcow2").toString(),
                "-F",
                "qcow2",
                chain.toString());
        Path vdd = diskXml("vdd.xml", "d3.qcow2", "vdd");
        Path nic = data.resolve("bridged.xml");
        Files.writeString(
                nic,
                "<interface type='bridge'><mac address='" + BRIDGED_MAC + "'/><source bridge='" + bridge
                        + "'/><model type='virtio'/></interface>\n");
        long t0 = System.nanoTime();
        Virsh.Result disk = virsh.run("attach-device", "g1", vdd.toString(), "--live");
        assertThat(disk.exit()).as(disk.all()).isZero();
        Virsh.Result bridged = virsh.run("attach-device", "g1", nic.toString(), "--live");
        assertThat(bridged.exit()).as(bridged.all()).isZero();
        System.out.printf("[it] hot-plug a qcow2 chain and a bridged NIC: %.2f s%n", (System.nanoTime() - t0) / 1e9);
        String xmlA = virsh.run("dumpxml", "g1").out();
        assertThat(xmlA).contains(data.resolve("d2.qcow2").toString()); // the chain, read from the image
        String tapA = tapOnBridge(xmlA);
        Virsh.Result ifstat = virsh.run("domifstat", "g1", tapA);
        assertThat(ifstat.exit()).as(ifstat.all()).isZero();
        assertThat(ifstat.out()).containsPattern(tapA + " rx_bytes \\d+").containsPattern(tapA + " tx_packets \\d+");

        VirshHost b = hosts.startInJvm("B", TwoDaemons::config);
        PeerHop.hop("p2p after hot-plug A->B", hosts, hosts.a(), b, "g1", new SerialLog(data.resolve("g1.serial.log")));
        String xmlB = b.virsh().run("dumpxml", "g1").out();
        assertThat(xmlB).containsPattern("<target dev='vdd' bus='virtio'/>").contains(chain.toString());
        String tapB = tapOnBridge(xmlB);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(SYS_NET.resolve(tapA)) || tapA.equals(tapB));

        Path events = data.resolve("events-b.out");
        Process listener = b.virsh()
                .command("event", "g1", "--event", "device-removed", "--loop", "--timeout", "120")
                .redirectOutput(events.toFile())
                .redirectErrorStream(true)
                .start();
        List<DomainEvent> removed = new CopyOnWriteArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hosts.daemon(b).someClientListensTo(ClientEvents.ID_DEVICE_REMOVED));
            // The Java client asks for device events only when its listener wants them (the defaults stay
            // libvirt's); the registration is in place when the call returns.
            try (Connection client = Connections.open(b.uri());
                    AutoCloseable _ =
                            client.addDomainEventListener(removed::add, EnumSet.of(DomainEventId.DEVICE_REMOVED))) {
                t0 = System.nanoTime();
                Virsh.Result dd = b.virsh().run("detach-device", "g1", vdd.toString(), "--live");
                assertThat(dd.exit()).as(dd.all()).isZero();
                Virsh.Result dn = b.virsh().run("detach-device", "g1", nic.toString(), "--live");
                assertThat(dn.exit()).as(dn.all()).isZero();
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(Files.readString(events))
                                .contains("event 'device-removed' for domain 'g1': virtio-disk3")
                                .contains("event 'device-removed' for domain 'g1': net2"));
                System.out.printf("[it] unplug both on the destination: %.2f s%n", (System.nanoTime() - t0) / 1e9);
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(removed)
                                .extracting(e -> ((DomainEvent.DeviceRemoved) e).alias())
                                .containsExactly("virtio-disk3", "net2"));
            }
        } finally {
            listener.destroy();
            listener.waitFor();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(SYS_NET.resolve(tapB)));
        String after = b.virsh().run("dumpxml", "g1").out();
        assertThat(after).doesNotContain("vdd").doesNotContain(BRIDGED_MAC);
    }

    /** The tap of the bridged NIC in {@code xml}, checked to be a port of the test's bridge. */
    private String tapOnBridge(String xml) throws Exception {
        Matcher m = Pattern.compile("<interface type='bridge'>.*?<target dev='([^']+)'", Pattern.DOTALL)
                .matcher(xml);
        assertThat(m.find()).as(xml).isTrue();
        String tap = m.group(1);
        assertThat(Files.readSymbolicLink(SYS_NET.resolve(tap).resolve("master"))
                        .getFileName()
                        .toString())
                .as("bridge of %s", tap)
                .isEqualTo(bridge);
        assertThat(Files.readString(SYS_NET.resolve(tap).resolve("address")).strip())
                .isEqualTo("fe" + BRIDGED_MAC.substring(2));
        return tap;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }
}

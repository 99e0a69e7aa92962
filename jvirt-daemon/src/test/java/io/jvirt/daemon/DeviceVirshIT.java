package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * asks for what is not there.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviceVirshIT {
    private static final long IMAGE_BYTES = 64L << 20;
    private static final String MAC = "52:54:00:aa:bb:01";

    private TwoDaemons hosts;
    private Path root;
    private Virsh virsh;

    @BeforeAll
    void startDaemon() throws Exception {
        hosts = TwoDaemons.none("jvirtd-dev-it-");
        VirshHost host = hosts.startInJvm("A", TwoDaemons::config);
        root = host.root();
        hosts.daemon(host).awaitReady();
        virsh = host.virsh();
        for (String image : List.of("d1.qcow2", "d2.qcow2")) {
            Process p = new ProcessBuilder(
                            "qemu-img",
                            "create",
                            "-q",
                            "-f",
                            "qcow2",
                            root.resolve(image).toString(),
                            "64M")
                    .inheritIO()
                    .start();
            assertThat(p.waitFor()).isZero();
        }
        Path xml = root.resolve("g1.xml");
        Files.writeString(
                xml,
                TwoDaemons.guestXml(
                        "g1",
                        root.resolve("g1.serial.log"),
                        g -> g.memoryMiB(192).fillMiB(32)));
        assertThat(virsh.run("define", xml.toString()).exit()).isZero();
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (virsh != null) {
            virsh.run("destroy", "g1");
            virsh.run("undefine", "g1");
        }
        hosts.close();
    }

    private Path diskXml(String name, String image, String target) throws Exception {
        Path file = root.resolve(name);
        Files.writeString(file, """
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='%s'/>
                  <target dev='%s' bus='virtio'/>
                </disk>
                """.formatted(root.resolve(image), target));
        return file;
    }

    private Path nicXml(String name, String mac) throws Exception {
        Path file = root.resolve(name);
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
                .containsPattern("vda\\s+" + root.resolve("d1.qcow2"));
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
        SerialLog log = new SerialLog(root.resolve("g1.serial.log"));
        log.awaitReady(Duration.ofSeconds(120));
        System.out.printf("[it] boot g1: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        assertThat(virsh.run("domblklist", "g1").out()).containsPattern("vda\\s+" + root.resolve("d1.qcow2"));
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
        Path events = root.resolve("events.out");
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
            assertThat(virsh.run("domblklist", "g1").out()).containsPattern("vdc\\s+" + root.resolve("d2.qcow2"));
            assertThat(virsh.run("domblklist", "g1", "--inactive").out()).doesNotContain("vdc");
            assertThat(virsh.run("dumpxml", "g1").out()).contains("<alias name='virtio-disk2'/>");
            assertThat(Files.readString(root.resolve("run/qemu/g1.xml"))).contains("d2.qcow2");
            assertThat(virsh.run("domblkstat", "g1", "vdc").out()).containsPattern("vdc wr_req \\d+");
            assertThat(virsh.run("domblkinfo", "g1", root.resolve("d2.qcow2").toString())
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

    @Test
    @Order(4)
    void hotPlugAUserNic() throws Exception {
        Virsh.Result nic =
                virsh.run("attach-device", "g1", nicXml("nic2.xml", null).toString(), "--live");
        assertThat(nic.exit()).as(nic.all()).isZero();
        assertThat(virsh.run("dumpxml", "g1").out()).contains("<alias name='net1'/>");
        assertThat(virsh.run("domiflist", "g1").out().lines().filter(l -> l.contains("user")))
                .hasSize(2);
        Virsh.Result update =
                virsh.run("update-device", "g1", root.resolve("vda.xml").toString(), "--live");
        assertThat(update.err())
                .contains("error: Operation not supported: live update of device 'disk' is not supported");
    }
}

package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.XmlFlags;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Disks on real QEMU, one boot of the test guest for the whole class: a qcow2 disk over a qcow2 backing file (the
 * chain read from the images), a raw disk on a loop device, a virtio-scsi disk and an empty SATA cdrom. QEMU must
 * hold the node graph jvirt built (query-named-block-nodes through the monitor passthrough), and the live XML must
 * show the chain and the SCSI controller as libvirt shows them. Needs root for the loop device, as CI has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class DiskGraphIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "disks1";

    private TestHost host;
    private Connection conn;
    private Path images;
    private String loop;
    private DomainRef ref;

    @BeforeAll
    void setUp() throws Exception {
        host = new TestHost("disks");
        images = Files.createDirectories(host.root().resolve("images"));
        long t0 = System.nanoTime();
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                images.resolve("base.qcow2").toString(),
                "32M");
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                "-F",
                "qcow2",
                "-b",
                "base.qcow2",
                images.resolve("top.qcow2").toString());
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                images.resolve("scsi.qcow2").toString(),
                "16M");
        run("qemu-img", "create", "-q", "-f", "raw", images.resolve("loop.raw").toString(), "16M");
        loop = run("losetup", "-f", "--show", images.resolve("loop.raw").toString())
                .strip();
        System.out.printf("[it] disk images and %s ready in %d ms%n", loop, (System.nanoTime() - t0) / 1_000_000);
        conn = host.open();
        String disks = "    <disk type='file' device='disk'>\n"
                + "      <driver name='qemu' type='qcow2' cache='none' discard='unmap'/>\n"
                + "      <source file='" + images.resolve("top.qcow2") + "'/>\n"
                + "      <target dev='vda' bus='virtio'/>\n"
                + "      <serial>TOP</serial>\n"
                + "    </disk>\n"
                + "    <disk type='block' device='disk'>\n"
                + "      <driver name='qemu' type='raw' io='threads'/>\n"
                + "      <source dev='" + loop + "'/>\n"
                + "      <target dev='vdb' bus='virtio'/>\n"
                + "      <shareable/>\n"
                + "    </disk>\n"
                + "    <disk type='file' device='disk'>\n"
                + "      <driver name='qemu' type='qcow2'/>\n"
                + "      <source file='" + images.resolve("scsi.qcow2") + "'/>\n"
                + "      <target dev='sda' bus='scsi'/>\n"
                + "    </disk>\n"
                + "    <disk type='file' device='cdrom'>\n"
                + "      <target dev='sdb' bus='sata'/>\n"
                + "    </disk>\n";
        String xml = host.guest(GUEST).memoryMiB(192).toXml().replace("    <memballoon", disks + "    <memballoon");
        ref = conn.defineXml(xml);
        SerialLog serial = host.serial(GUEST);
        t0 = System.nanoTime();
        conn.create(ref, 0);
        await().atMost(TestHost.BOOT).until(() -> serial.boots() > 0);
        GuestTick first = serial.awaitTickAfter(-1, TestHost.BOOT);
        System.out.printf("[it] %s booted with 4 disks in %d ms%n", GUEST, (System.nanoTime() - t0) / 1_000_000);
        assertThat(first.patternOk()).isTrue();
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (conn != null) {
                if (ref != null && conn.isActive(ref)) {
                    conn.destroy(ref, 0);
                }
                conn.close();
            }
        } finally {
            try {
                if (loop != null) {
                    run("losetup", "-d", loop);
                }
            } finally {
                host.close();
            }
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        host.assertNoStrayQemu(conn);
    }

    @Test
    void qemuHoldsTheNodeGraphWithTheBackingChain() {
        String nodes = conn.qemuMonitorCommand(ref, "{\"execute\":\"query-named-block-nodes\"}", 0);

        assertThat(nodes)
                .contains(
                        "\"node-name\":\"virtio-disk0-0-format\"",
                        "\"node-name\":\"virtio-disk0-0-storage\"",
                        "\"node-name\":\"virtio-disk0-1-format\"",
                        "\"node-name\":\"virtio-disk0-1-storage\"",
                        "\"node-name\":\"virtio-disk1-0-storage\"",
                        "\"node-name\":\"scsi0-0-0-0-0-format\"")
                .contains("\"backing_file\":\"" + images.resolve("base.qcow2") + "\"");
        String block = conn.qemuMonitorCommand(ref, "{\"execute\":\"query-block\"}", 0);
        assertThat(block)
                .contains(
                        "/machine/peripheral/virtio-disk0/",
                        "/machine/peripheral/virtio-disk1/",
                        "\"qdev\":\"scsi0-0-0-0\"",
                        "\"qdev\":\"sata0-0-1\"")
                .contains("\"backing-image\"");
        String scsi = conn.qemuMonitorCommand(
                ref, "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"scsi0\",\"property\":\"type\"}}", 0);
        assertThat(scsi).contains("virtio-scsi-pci");
    }

    @Test
    void liveXmlShowsTheChainAndTheController() {
        String xml = conn.xmlDesc(ref, 0);

        assertThat(xml)
                .contains("      <source file='" + images.resolve("top.qcow2") + "'/>\n"
                        + "      <backingStore type='file' index='1'>\n"
                        + "        <format type='qcow2'/>\n"
                        + "        <source file='" + images.resolve("base.qcow2") + "'/>\n"
                        + "        <backingStore/>\n"
                        + "      </backingStore>\n"
                        + "      <target dev='vda' bus='virtio'/>")
                .contains("<source dev='" + loop + "'/>")
                .contains("<controller type='scsi' index='0' model='virtio-scsi'>\n      <alias name='scsi0'/>")
                .contains("<alias name='sata0-0-1'/>", "<alias name='scsi0-0-0-0'/>");
        // The chain was read, not written: the definition keeps none.
        assertThat(conn.xmlDesc(ref, XmlFlags.INACTIVE)).doesNotContain("backingStore");
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}

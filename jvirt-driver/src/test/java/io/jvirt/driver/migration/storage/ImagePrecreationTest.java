package io.jvirt.driver.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.migration.cookie.CookieNbd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The destination's missing images: made with qemu-img as libvirt makes them, and only those removed again. */
class ImagePrecreationTest {
    private static final Path QEMU_IMG = ImagePrecreation.qemuImgFor("/usr/bin/qemu-system-x86_64");

    @TempDir
    Path dir;

    private List<DiskDef> disks(Path vda, Path vdb) {
        String xml = "<domain type='qemu'><name>g1</name><memory unit='KiB'>65536</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + vda + "'/>"
                + "<target dev='vda' bus='virtio'/></disk>"
                + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='" + vdb + "'/>"
                + "<target dev='vdb' bus='virtio'/></disk></devices></domain>";
        return DomainXml.parse(xml).disks();
    }

    @Test
    void argvIsQcow2Compat11WithMetadataPreallocated() {
        assertThat(ImagePrecreation.argv(Path.of("/usr/bin/qemu-img"), Path.of("/i/a.qcow2"), DiskFormat.QCOW2, 1024))
                .containsExactly(
                        "/usr/bin/qemu-img",
                        "create",
                        "-f",
                        "qcow2",
                        "-o",
                        "compat=1.1,preallocation=metadata",
                        "/i/a.qcow2",
                        "1024");
        assertThat(ImagePrecreation.argv(Path.of("qemu-img"), Path.of("/i/b.img"), DiskFormat.RAW, 5))
                .containsExactly("qemu-img", "create", "-f", "raw", "/i/b.img", "5");
    }

    @Test
    void createsTheMissingImagesAndRemovesOnlyThose() throws Exception {
        Path vda = dir.resolve("vda.qcow2");
        Path vdb = dir.resolve("vdb.img");
        Files.writeString(vdb, "already here");
        ImagePrecreation images = new ImagePrecreation();
        CookieNbd nbd = new CookieNbd(0, List.of(new CookieNbd.Disk("vda", 1 << 20), new CookieNbd.Disk("vdb", 512)));

        images.createMissing(QEMU_IMG, disks(vda, vdb), nbd, false);

        assertThat(images.created()).containsExactly(vda);
        assertThat(Files.readAllBytes(vda)).startsWith('Q', 'F', 'I', (byte) 0xfb);
        images.removeCreated();
        assertThat(vda).doesNotExist();
        assertThat(vdb).hasContent("already here");
    }

    @Test
    void keptImagesStay() {
        Path vda = dir.resolve("vda.qcow2");
        ImagePrecreation images = new ImagePrecreation();
        images.createMissing(
                QEMU_IMG,
                disks(vda, dir.resolve("x")),
                new CookieNbd(0, List.of(new CookieNbd.Disk("vda", 4096))),
                false);
        images.keep();
        images.removeCreated();
        assertThat(vda).exists();
    }

    @Test
    void anIncrementalCopyNeedsTheTopImageThere() {
        Path vda = dir.resolve("vda.qcow2");
        assertThatThrownBy(() -> new ImagePrecreation()
                        .createMissing(
                                QEMU_IMG,
                                disks(vda, dir.resolve("x")),
                                new CookieNbd(0, List.of(new CookieNbd.Disk("vda", 4096))),
                                true))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_UNSUPPORTED);
                    assertThat(e.getMessage())
                            .endsWith("pre-creation of storage target '" + vda
                                    + "' for incremental storage migration of disk 'vda' is not supported");
                });
        assertThat(vda).doesNotExist();
    }

    @Test
    void aFailingQemuImgIsReported() {
        Path missingDir = dir.resolve("no/such/dir/vda.qcow2");
        assertThatThrownBy(() -> new ImagePrecreation()
                        .createMissing(
                                QEMU_IMG,
                                disks(missingDir, dir.resolve("x")),
                                new CookieNbd(0, List.of(new CookieNbd.Disk("vda", 4096))),
                                false))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED);
                    assertThat(e.getMessage()).contains("cannot pre-create storage '" + missingDir + "'");
                });
    }
}

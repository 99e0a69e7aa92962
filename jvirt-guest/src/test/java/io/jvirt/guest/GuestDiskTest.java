package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GuestDiskTest {
    @Test
    void aBarePathIsARawFileOnVirtio() {
        assertThat(GuestDisk.parse("/var/lib/a.img"))
                .isEqualTo(GuestDisk.file(Path.of("/var/lib/a.img")))
                .isEqualTo(new GuestDisk(
                        GuestDisk.Type.FILE,
                        Path.of("/var/lib/a.img"),
                        GuestDisk.Format.RAW,
                        GuestDisk.Bus.VIRTIO,
                        "vda"));
        assertThat(GuestDisk.file(Path.of("/a.img")).guestDevice()).isEqualTo("/dev/vda");
    }

    @Test
    void theSpecSetsFormatBusTypeAndTarget() {
        assertThat(GuestDisk.parse("/dev/mapper/vg-lv,type=block,format=qcow2,bus=scsi"))
                .isEqualTo(GuestDisk.block(Path.of("/dev/mapper/vg-lv"))
                        .format(GuestDisk.Format.QCOW2)
                        .on(GuestDisk.Bus.SCSI, "sda"));
        GuestDisk second = GuestDisk.parse("/b.qcow2,format=QCOW2,bus=virtio,target=vdb");
        assertThat(second.target()).isEqualTo("vdb");
        assertThat(second.guestDevice()).isEqualTo("/dev/vdb");
        assertThat(GuestDisk.parse("/c.img,bus=sata").target()).isEqualTo("sda");
    }

    @Test
    void refusesWhatLibvirtWouldNotTake() {
        assertThatThrownBy(() -> GuestDisk.parse("/a.img,format=vmdk"))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG))
                .hasMessage("invalid argument: unsupported disk format 'vmdk'");
        assertThatThrownBy(() -> GuestDisk.parse("/a.img,bus=scsi,target=vdb"))
                .hasMessageContaining("disk target 'vdb' does not fit bus scsi");
        assertThatThrownBy(() -> GuestDisk.parse("relative.img")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> GuestDisk.parse(",bus=scsi")).hasMessageContaining("must start with the image path");
        assertThatThrownBy(() -> GuestDisk.parse("/a.img,cache")).hasMessageContaining("is not key=value");
        assertThatThrownBy(() -> GuestDisk.parse("/a.img,cache=none")).hasMessageContaining("unknown disk spec key");
    }
}

package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.BackingStore;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DiskSource;
import io.jvirt.config.DiskType;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chain completion with a scripted reader; {@link QemuImgChainsTest} reads real images. */
class DiskChainsTest {
    @TempDir
    Path dir;

    private final List<String> read = new ArrayList<>();

    private DomainDef def(String disk) {
        return DomainXml.parse("<domain type='qemu'><name>d</name><memory>1024</memory><os><type>hvm</type></os>"
                + "<devices>" + disk + "</devices></domain>");
    }

    private BackingStore fakeChain(DiskSource source, DiskFormat format) {
        read.add(source.path());
        return new BackingStore(
                new DiskSource(DiskType.FILE, dir + "/base.qcow2"), DiskFormat.QCOW2, 0, BackingStore.end(true), true);
    }

    @Test
    void readsWhatTheDefinitionLeavesOpenAndNumbersTheLinks() throws Exception {
        Files.createFile(dir.resolve("top.qcow2"));
        DomainDef def = def("<disk type='file'><driver name='qemu' type='qcow2'/><source file='" + dir
                + "/top.qcow2'/><target dev='vda'/></disk>");

        DiskDef disk = DiskChains.detect(def, this::fakeChain).disks().getFirst();

        assertThat(read).containsExactly(dir + "/top.qcow2");
        assertThat(disk.backingImages()).singleElement().satisfies(b -> {
            assertThat(b.index()).isEqualTo(1);
            assertThat(b.detected()).isTrue();
        });
        assertThat(DomainXml.format(def.withId(1).withDevices(List.of(disk))))
                .contains("<backingStore type='file' index='1'>");
    }

    @Test
    void rawImagesAndCompleteChainsAreNotRead() throws Exception {
        Files.createFile(dir.resolve("a.raw"));
        Files.createFile(dir.resolve("t.qcow2"));
        Files.createFile(dir.resolve("b.raw"));
        DomainDef def = def("<disk type='file'><source file='" + dir + "/a.raw'/><target dev='vda'/></disk>"
                + "<disk type='file'><driver name='qemu' type='qcow2'/><source file='" + dir + "/t.qcow2'/>"
                + "<backingStore type='file'><format type='raw'/><source file='" + dir + "/b.raw'/></backingStore>"
                + "<target dev='vdb'/></disk><disk type='file' device='cdrom'><target dev='hdc'/></disk>");

        List<DiskDef> disks = DiskChains.detect(def, this::fakeChain).disks();

        assertThat(read).isEmpty();
        assertThat(disks.get(0).backingStore()).isEqualTo(BackingStore.end(true));
        assertThat(disks.get(1).backingImages()).singleElement().satisfies(b -> {
            assertThat(b.index()).isEqualTo(1);
            assertThat(b.detected()).isFalse();
            assertThat(b.backing()).isEqualTo(BackingStore.end(true));
        });
        assertThat(disks.get(2).backingStore()).isNull();
    }

    @Test
    void missingImageIsLibvirtsError() {
        DomainDef def = def("<disk type='file'><source file='" + dir + "/gone.raw'/><target dev='vda'/></disk>");

        assertThatThrownBy(() -> DiskChains.detect(def, this::fakeChain))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_ERROR);
                    assertThat(e.domain()).isEqualTo(ErrorDomain.STORAGE);
                })
                .hasMessageMatching("Cannot access storage file '" + dir
                        + "/gone.raw' \\(as uid:\\d+, gid:\\d+\\): No such file or directory");
    }

    @Test
    void missingBackingImageOfAGivenChainNamesItsParent() throws Exception {
        Files.createFile(dir.resolve("t.qcow2"));
        DomainDef def = def("<disk type='file'><driver name='qemu' type='qcow2'/><source file='" + dir
                + "/t.qcow2'/><backingStore type='file'><format type='raw'/><source file='" + dir + "/b.raw'/>"
                + "</backingStore><target dev='vda'/></disk>");

        assertThatThrownBy(() -> DiskChains.detect(def, this::fakeChain))
                .hasMessageStartingWith("Cannot access backing file '" + dir + "/b.raw' of storage file '" + dir
                        + "/t.qcow2' (as uid:");
    }
}

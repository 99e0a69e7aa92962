package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.BackingStore;
import io.jvirt.config.DiskFormat;
import io.jvirt.config.DiskSource;
import io.jvirt.config.DiskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads chains of images made by the real qemu-img (a few milliseconds each, so a unit test). */
class QemuImgChainsTest {
    private static final QemuImgChains READER = QemuImgChains.besides(Path.of("/usr/bin/qemu-system-x86_64"));

    @TempDir
    Path dir;

    private static void qemuImg(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "qemu-img";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
    }

    private DiskSource file(String name) {
        return new DiskSource(DiskType.FILE, dir.resolve(name).toString());
    }

    @Test
    void readsATwoLevelChain() throws Exception {
        qemuImg("create", "-q", "-f", "raw", dir.resolve("base.raw").toString(), "1M");
        qemuImg(
                "create",
                "-q",
                "-f",
                "qcow2",
                "-F",
                "raw",
                "-b",
                "base.raw",
                dir.resolve("mid.qcow2").toString());
        qemuImg(
                "create",
                "-q",
                "-f",
                "qcow2",
                "-F",
                "qcow2",
                "-b",
                dir.resolve("mid.qcow2").toString(),
                dir.resolve("top.qcow2").toString());

        BackingStore chain = READER.read(file("top.qcow2"), DiskFormat.QCOW2);

        assertThat(chain)
                .isEqualTo(new BackingStore(
                        file("mid.qcow2"),
                        DiskFormat.QCOW2,
                        0,
                        new BackingStore(file("base.raw"), DiskFormat.RAW, 0, BackingStore.end(true), true),
                        true));
    }

    @Test
    void anImageWithoutBackingEndsTheChain() throws Exception {
        qemuImg("create", "-q", "-f", "qcow2", dir.resolve("only.qcow2").toString(), "1M");

        assertThat(READER.read(file("only.qcow2"), DiskFormat.QCOW2)).isEqualTo(BackingStore.end(true));
    }

    @Test
    void missingBackingFileIsNamedWithItsParent() throws Exception {
        qemuImg("create", "-q", "-f", "qcow2", dir.resolve("base.qcow2").toString(), "1M");
        qemuImg(
                "create",
                "-q",
                "-f",
                "qcow2",
                "-F",
                "qcow2",
                "-b",
                "base.qcow2",
                dir.resolve("top.qcow2").toString());
        Files.delete(dir.resolve("base.qcow2"));

        assertThatThrownBy(() -> READER.read(file("top.qcow2"), DiskFormat.QCOW2))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_ERROR))
                .hasMessageStartingWith("Cannot access backing file '" + dir.resolve("base.qcow2")
                        + "' of storage file '" + dir.resolve("top.qcow2") + "' (as uid:")
                .hasMessageEndingWith(": No such file or directory");
    }
}

package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleInfoTest {
    /**
     * A minimal 64-bit little-endian ELF relocatable as the kernel's build writes modules: a section header table
     * with a null section, .shstrtab and .modinfo holding {@code strings}, NUL-separated (with padding runs).
     */
    static byte[] module(String... strings) {
        ByteArrayOutputStream modinfo = new ByteArrayOutputStream();
        for (String s : strings) {
            modinfo.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            modinfo.writeBytes(new byte[] {0, 0}); // padding, as the section's alignment leaves
        }
        byte[] names = "\0.shstrtab\0.modinfo\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] info = modinfo.toByteArray();
        int namesAt = 64;
        int infoAt = namesAt + names.length;
        int shoff = (infoAt + info.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(shoff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(0x10, (short) 1); // ET_REL
        b.putLong(0x28, shoff);
        b.putShort(0x34, (short) 64);
        b.putShort(0x3a, (short) 64);
        b.putShort(0x3c, (short) 3);
        b.putShort(0x3e, (short) 1);
        b.put(namesAt, names).put(infoAt, info);
        section(b, shoff + 64, 1, 3, namesAt, names.length);
        section(b, shoff + 128, 11, 1, infoAt, info.length);
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int name, int type, long offset, long size) {
        b.putInt(at, name).putInt(at + 4, type).putLong(at + 0x18, offset).putLong(at + 0x20, size);
    }

    @Test
    void readsDependsFromTheModinfoSection() {
        ModuleInfo info = ModuleInfo.parse(
                        module("license=GPL", "depends=virtio_ring,virtio,net_failover", "name=virtio_net"))
                .orElseThrow();
        assertThat(info.entries())
                .containsExactly("license=GPL", "depends=virtio_ring,virtio,net_failover", "name=virtio_net");
        assertThat(info.depends()).containsExactly("virtio_ring", "virtio", "net_failover");
    }

    @Test
    void aModuleWithoutDependenciesHasAnEmptyDepends() {
        assertThat(ModuleInfo.parse(module("depends=", "name=failover"))
                        .orElseThrow()
                        .depends())
                .isEmpty();
        assertThat(ModuleInfo.parse(module("name=evdev")).orElseThrow().depends())
                .isEmpty();
    }

    @Test
    void anythingButAnUncompressedElfIsNoModule() {
        assertThat(ModuleInfo.parse(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}))
                .isEmpty();
        assertThat(ModuleInfo.parse(new byte[128])).isEmpty();
        byte[] truncated = module("depends=a");
        assertThat(ModuleInfo.parse(java.util.Arrays.copyOf(truncated, truncated.length - 100)))
                .isEmpty();
    }

    @Test
    void moduleNamesReadDashesAsUnderscores() {
        assertThat(KernelTree.moduleName("virtio-rng")).isEqualTo("virtio_rng");
        assertThat(List.of(KernelTree.moduleName("sd_mod"))).containsExactly("sd_mod");
    }
}

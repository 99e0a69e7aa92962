package io.jvirt.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Taps and interface ioctls on the real kernel (needs root and /dev/net/tun, as CI has): a bridge of the test's
 * own, removed afterwards.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TapIT {
    private final String bridge =
            "jvbrn" + Long.toString(ProcessHandle.current().pid() % 100000, 36);

    @BeforeEach
    void addBridge() throws Exception {
        run("ip", "link", "add", bridge, "type", "bridge");
    }

    @AfterEach
    void deleteBridge() throws Exception {
        run("ip", "link", "del", bridge);
    }

    @Test
    void aTapFromATemplateIsConfiguredAndGoesAwayWithItsFd() throws Exception {
        String name;
        try (Tap tap = Tap.open("jvtst%d", true)) {
            name = tap.name();
            assertThat(name).startsWith("jvtst");
            assertThat(NetDevices.exists(name)).isTrue();
            NetDevices.setMac(name, new byte[] {(byte) 0xfe, 0x54, 0, 1, 2, 3});
            NetDevices.setMtu(name, 1400);
            NetDevices.addToBridge(bridge, name);
            NetDevices.setUp(name);
            Path sys = Path.of("/sys/class/net", name);
            assertThat(Files.readString(sys.resolve("address")).strip()).isEqualTo("fe:54:00:01:02:03");
            assertThat(NetDevices.mtu(name)).isEqualTo(1400);
            assertThat(Files.readSymbolicLink(sys.resolve("master"))
                            .getFileName()
                            .toString())
                    .isEqualTo(bridge);
            assertThat(Integer.decode(Files.readString(sys.resolve("flags")).strip()) & 1)
                    .isEqualTo(1);
        }
        assertThat(NetDevices.exists(name)).isFalse();
    }

    @Test
    void errorsCarryErrno() {
        assertThatThrownBy(() -> NetDevices.mtu("jvnosuchdev0")).isInstanceOfSatisfying(NativeIOException.class, e -> {
            assertThat(e.errno()).isEqualTo(19);
            assertThat(e.reason()).isEqualTo("No such device");
        });
        assertThatThrownBy(() -> Tap.open("a-name-far-too-long-for-ifnamsiz", false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }
}

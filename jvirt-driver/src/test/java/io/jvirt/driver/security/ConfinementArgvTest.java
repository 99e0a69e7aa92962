package io.jvirt.driver.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.config.DomainXml;
import io.jvirt.driver.process.DisplayPorts;
import io.jvirt.driver.process.LiveDefinition;
import io.jvirt.driver.process.QemuCommandLine;
import io.jvirt.driver.root.DriverSettings;
import io.jvirt.driver.root.MigrationSettings;
import io.jvirt.driver.root.SecuritySettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The argv of a confined QEMU: setpriv in front for another account, -sandbox as libvirt sets it. */
class ConfinementArgvTest {
    private static final Path MONITOR = Path.of("/root/run/qemu/g/monitor");

    private static DriverSettings settings(SecuritySettings security) {
        return new DriverSettings(
                Optional.empty(),
                DriverSettings.DEFAULT_QEMU,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                "raw",
                "raw",
                MigrationSettings.DEFAULT,
                security);
    }

    private static List<String> argv(SecuritySettings security) throws IOException {
        try (InputStream in = ConfinementArgvTest.class.getResourceAsStream("/argv/guest.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return QemuCommandLine.build(
                    LiveDefinition.prepare(DomainXml.parse(xml), 4, new DisplayPorts()), settings(security), MONITOR);
        }
    }

    @Test
    void theSandboxIsOnByDefaultAndOffWithSeccompSandboxZero() throws IOException {
        List<String> on = argv(SecuritySettings.DEFAULT);
        assertThat(on.get(on.indexOf("-sandbox") + 1))
                .isEqualTo("on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
        assertThat(argv(new SecuritySettings("jvirt-qemu", "jvirt-qemu", false)))
                .doesNotContain("-sandbox");
    }

    @Test
    void anotherAccountStartsThroughSetprivWithoutCapabilities() {
        List<String> qemu = List.of("/usr/bin/qemu-system-x86_64", "-S");

        assertThat(ConfinedCommand.wrap(qemu, new QemuAccount(107, 108, true)))
                .containsExactly(
                        "/usr/bin/setpriv",
                        "--reuid=107",
                        "--regid=108",
                        "--init-groups",
                        "--inh-caps=-all",
                        "--bounding-set=-all",
                        "--",
                        "/usr/bin/qemu-system-x86_64",
                        "-S");
        assertThat(ConfinedCommand.wrap(qemu, new QemuAccount(0, 0, false))).isEqualTo(qemu);
    }

    @Test
    void accountsAreNamesOrPlusNumbers() {
        assertThat(QemuAccount.id("+107", Path.of("/etc/passwd"))).hasValue(107);
        assertThat(QemuAccount.id("root", Path.of("/etc/passwd"))).hasValue(0);
        assertThat(QemuAccount.id("no-such-account-here", Path.of("/etc/passwd")))
                .isEmpty();
    }
}

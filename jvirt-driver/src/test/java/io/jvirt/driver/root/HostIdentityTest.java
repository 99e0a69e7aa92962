package io.jvirt.driver.root;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdentityTest {
    @TempDir
    Path dir;

    @Test
    void generatedUuidIsKeptAcrossOpensAndDiffersBetweenRoots() throws Exception {
        HostRoot a = new HostRoot(dir.resolve("a")).create();
        HostRoot b = new HostRoot(dir.resolve("b")).create();
        UUID first = HostIdentity.resolve(a, DriverSettings.load(a));
        assertThat(HostIdentity.resolve(a, DriverSettings.load(a))).isEqualTo(first);
        assertThat(HostIdentity.resolve(b, DriverSettings.load(b))).isNotEqualTo(first);
    }

    @Test
    void configuredUuidWins() throws Exception {
        HostRoot root = new HostRoot(dir).create();
        Files.writeString(root.settingsFile(), "host_uuid = \"11111111-2222-3333-4444-555555555555\"\n");
        assertThat(HostIdentity.resolve(root, DriverSettings.load(root)))
                .isEqualTo(UUID.fromString("11111111-2222-3333-4444-555555555555"));
    }
}

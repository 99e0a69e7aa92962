package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.root.DriverSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden argv files: {@code argv/<case>.xml} is started as domain id 4 and must give exactly
 * {@code argv/<case>.args} (one argument per line). The same files are started on real QEMU by QemuArgvIT.
 */
class QemuCommandLineTest {
    static final DriverSettings SETTINGS = new DriverSettings(
            Optional.empty(), Path.of("/usr/bin/qemu-system-x86_64"), Duration.ofSeconds(30), Duration.ofSeconds(30));
    static final Path MONITOR = Path.of("/root/run/qemu/g.monitor");

    static String resource(String name) throws IOException {
        try (InputStream in = QemuCommandLineTest.class.getResourceAsStream("/argv/" + name)) {
            assertThat(in).as("resource argv/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static DomainDef live(String caseName) throws IOException {
        return LiveDefinition.prepare(DomainXml.parse(resource(caseName + ".xml")), 4, new DisplayPorts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"guest", "devices", "disks"})
    void argvMatchesGoldenFile(String caseName) throws IOException {
        List<String> argv = QemuCommandLine.build(live(caseName), SETTINGS, MONITOR);
        List<String> expected =
                Arrays.asList(resource(caseName + ".args").strip().split("\n"));
        assertThat(argv).containsExactlyElementsOf(expected);
    }

    @Test
    void neverAsksForTheHostCpuAndAlwaysWaitsForTheDriver() throws IOException {
        List<String> argv = QemuCommandLine.build(live("guest"), SETTINGS, MONITOR);
        assertThat(argv).doesNotContain("-cpu").contains("-S", "-no-shutdown", "-nodefaults");
        assertThat(argv.get(argv.indexOf("-machine") + 1)).contains("accel=tcg");
        DomainDef kvm = LiveDefinition.prepare(
                DomainXml.parse(resource("guest.xml").replace("type='qemu'", "type='kvm'")), 4, new DisplayPorts());
        List<String> kvmArgv = QemuCommandLine.build(kvm, SETTINGS, MONITOR);
        assertThat(kvmArgv.get(kvmArgv.indexOf("-machine") + 1)).contains("accel=kvm");
        assertThat(kvmArgv).doesNotContain("-cpu");
    }

    @Test
    void liveDefinitionNamesDevicesAsLibvirtDoes() throws IOException {
        String xml = DomainXml.format(live("devices"));
        assertThat(xml)
                .contains(
                        "id='4'",
                        "<alias name='virtio-disk0'/>",
                        "<alias name='sata0-0-1'/>",
                        "<alias name='ide0-1-0'/>",
                        "<alias name='net0'/>",
                        "<alias name='serial1'/>",
                        "<alias name='video0'/>",
                        "<alias name='balloon0'/>");
    }

    @Test
    void ideDiskOnQ35IsRefusedAsLibvirtRefusesIt() throws IOException {
        DomainDef def = LiveDefinition.prepare(
                DomainXml.parse(resource("devices.xml").replace("machine='pc'", "machine='q35'")),
                1,
                new DisplayPorts());
        assertThatThrownBy(() -> QemuCommandLine.build(def, SETTINGS, MONITOR))
                .isInstanceOfSatisfying(
                        VirtException.class,
                        e -> assertThat(e.getMessage()).contains("IDE").contains("q35"));
    }

    @Test
    void unsupportedDeviceIsRefusedByName() throws IOException {
        String xml = resource("guest.xml")
                .replace(
                        "<memballoon model='none'/>",
                        "<disk type='file' device='disk'><source file='/x.img'/><target dev='sda' bus='scsi'/></disk>"
                                + "<controller type='scsi' index='0' model='buslogic'/>");
        DomainDef def = LiveDefinition.prepare(DomainXml.parse(xml), 1, new DisplayPorts());
        assertThatThrownBy(() -> QemuCommandLine.build(def, SETTINGS, MONITOR))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("'buslogic'");
                });
    }
}

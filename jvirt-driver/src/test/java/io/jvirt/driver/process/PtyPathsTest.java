package io.jvirt.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.MonitorListener;
import io.jvirt.qmp.wire.QmpMonitor;
import io.jvirt.testing.FakeQmp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PtyPathsTest {
    @Test
    void ptySerialGetsThePathQemuOpened() throws Exception {
        DomainDef live = LiveDefinition.prepare(
                DomainXml.parse(QemuCommandLineTest.resource("devices.xml")), 4, new DisplayPorts());
        try (FakeQmp qmp = FakeQmp.start()) {
            qmp.expect("query-chardev")
                    .reply(List.of(
                            Map.of("label", "charmonitor", "filename", "unix:/root/run/qemu/g.monitor,server=on"),
                            Map.of("label", "charserial0", "filename", "pty:/dev/pts/7"),
                            Map.of("label", "charserial1", "filename", "unix:/run/dev1.serial1,server=on")));
            try (Monitor monitor =
                    QmpMonitor.connect(qmp.socketPath(), "t", MonitorListener.ignoring(), Duration.ofSeconds(5))) {
                String xml = DomainXml.format(PtyPaths.fill(live, monitor));
                assertThat(xml).contains("<source path='/dev/pts/7'/>").contains("path='/run/dev1.serial1'");
            }
        }
    }

    @Test
    void withoutPtyDevicesQemuIsNotAsked() throws Exception {
        DomainDef live = LiveDefinition.prepare(
                DomainXml.parse(QemuCommandLineTest.resource("guest.xml")), 4, new DisplayPorts());
        try (FakeQmp qmp = FakeQmp.start()) {
            try (Monitor monitor =
                    QmpMonitor.connect(qmp.socketPath(), "t", MonitorListener.ignoring(), Duration.ofSeconds(5))) {
                assertThat(PtyPaths.fill(live, monitor)).isSameAs(live);
            }
            assertThat(qmp.commandNames()).doesNotContain("query-chardev");
        }
    }
}

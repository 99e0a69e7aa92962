package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.DomainRef;
import io.jvirt.guest.GuestBuilder;
import io.jvirt.guest.GuestTick;
import io.jvirt.guest.GuestXml;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Steering a peer-to-peer migration from the source with the stock virsh while it runs: its progress, its speed
 * and downtime limits changed on the fly, and suspend, which makes an unconverged migration finish.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerJobControlIT {
    private Path base;
    private Daemon source;
    private Daemon destination;
    private Virsh a;
    private Virsh b;
    private SerialLog log;

    @BeforeAll
    void start() throws Exception {
        base = Files.createTempDirectory("jvirtd-p2pjob-");
        source = Daemon.start(DaemonConfig.forRoot(base.resolve("a"), base.resolve("a/run")));
        destination = Daemon.start(DaemonConfig.forRoot(base.resolve("b"), base.resolve("b/run")));
        a = Virsh.on(source.rwSocket());
        b = Virsh.on(destination.rwSocket());
        Path xml = base.resolve("hot.xml");
        Files.writeString(xml, GuestXml.named("hot").memoryMiB(256).fillMiB(128).dirtyMibps(200)
                .serialFile(base.resolve("hot.serial.log")).image(GuestBuilder.ensureBuilt()).toXml());
        assertThat(a.run("define", xml.toString()).exit()).isZero();
        assertThat(a.run("start", "hot").exit()).isZero();
        log = new SerialLog(base.resolve("hot.serial.log"));
        log.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() throws Exception {
        for (Daemon d : new Daemon[] {source, destination}) {
            if (d != null) {
                for (DomainRef dom : d.driver().listAllDomains(0)) {
                    if (dom.isActive()) {
                        d.driver().destroy(dom, 0);
                    }
                }
                d.close();
            }
        }
        QemuReaper.killLeftovers(base.resolve("a"));
        QemuReaper.killLeftovers(base.resolve("b"));
        QemuReaper.deleteTree(base);
    }

    private String uri(Daemon d) {
        return "qemu+unix:///system?socket=" + d.rwSocket();
    }

    @Test
    @Order(10)
    void speedDowntimeAndSuspendSteerARunningPeerToPeerMigration() throws Exception {
        GuestTick before = log.latest().orElseThrow();
        Process migrate = a.command("migrate", "--live", "--p2p", "--bandwidth", "8", "hot", uri(destination))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> a.run("domjobinfo", "hot").out()
                    .matches("(?s).*Job type:\\s+Unbounded.*Memory processed:\\s+[1-9].*"));
            assertThat(a.run("migrate-setspeed", "hot", "4").exit()).isZero();
            assertThat(a.run("migrate-getspeed", "hot").out().strip()).isEqualTo("4");
            assertThat(a.run("migrate-setmaxdowntime", "hot", "700").exit()).isZero();
            assertThat(a.run("migrate-getmaxdowntime", "hot").out().strip()).isEqualTo("700");
            // QEMU's figure follows the new limit within a few of its measuring intervals.
            await().atMost(Duration.ofSeconds(30)).until(() -> bandwidthMiB(a.run("domjobinfo", "hot").out()) <= 5.0);

            assertThat(a.run("migrate-setspeed", "hot", "200").exit()).isZero();
            assertThat(a.run("suspend", "hot").exit()).isZero();
            assertThat(a.run("domstate", "--reason", "hot").out().strip()).isEqualTo("paused (migrating)");
            assertThat(migrate.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(migrate.exitValue()).isZero();
        } finally {
            migrate.destroyForcibly();
        }
        assertThat(b.run("domstate", "--reason", "hot").out().strip()).isEqualTo("running (migrated)");
        GuestTick after = log.awaitTickAfter(before.tick() + 1, Duration.ofSeconds(60));
        assertThat(after.patternOk()).isTrue();
        assertThat(log.boots()).isEqualTo(1);
    }

    /** "Memory bandwidth: 4.000 MiB/s" from virsh domjobinfo, in MiB/s (0 when absent). */
    private static double bandwidthMiB(String jobinfo) {
        var m = java.util.regex.Pattern.compile("Memory bandwidth:\\s+([0-9.]+) (KiB|MiB|GiB)/s").matcher(jobinfo);
        if (!m.find()) {
            return Double.MAX_VALUE;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "KiB" -> v / 1024;
            case "GiB" -> v * 1024;
            default -> v;
        };
    }
}

package io.jvirt.driver.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.StandInQemu;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.DomainRegistry;
import io.jvirt.driver.domain.DomainStore;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.process.DisplayPorts;
import io.jvirt.driver.root.DriverSettings;
import io.jvirt.driver.root.HostRoot;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events of a QEMU run that has ended (destroyed, then the domain started again) arrive late on that run's event
 * thread: none of them may touch the domain's new run — above all, the old EOF must not kill the new QEMU.
 */
class StaleRunTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // StandInQemu.close() may be interrupted; the test passes that on
    void lateEventsOfAnEndedRunLeaveTheNextRunAlone() throws Exception {
        HostRoot root = new HostRoot(dir).create();
        DriverContext ctx = new DriverContext(
                root,
                DriverSettings.load(root),
                UUID.randomUUID(),
                new DomainRegistry(),
                new DomainStore(root),
                new DisplayPorts(),
                new AtomicBoolean(),
                new DomainEventHub());
        DomainLifecycle lifecycle = new DomainLifecycle(ctx);
        UUID uuid = UUID.randomUUID();
        try (StandInQemu first = new StandInQemu("g1", uuid);
                StandInQemu second = new StandInQemu("g1", uuid)) {
            DomainDef def = DomainXml.parse(first.domainXml(-1));
            DomainObj dom = ctx.registry().findOrAdd(def);
            dom.setPersistentDef(def);

            QemuRun oldRun = new QemuRun(first.process.pid(), null, false);
            dom.markActive(1, oldRun, def.withId(1), StateReason.RUNNING_BOOTED);
            oldRun.expectStop(StateReason.SHUTOFF_DESTROYED);
            lifecycle.stopped(dom, oldRun, StateReason.SHUTOFF_DESTROYED);

            // The domain runs again; the new QEMU carries the same -uuid, so only the run tells the two apart.
            QemuRun newRun = new QemuRun(second.process.pid(), null, false);
            dom.markActive(2, newRun, def.withId(2), StateReason.RUNNING_BOOTED);

            lifecycle.pausedByQemu(dom, oldRun, Long.MAX_VALUE);
            lifecycle.guestPoweredOff(dom, oldRun);
            lifecycle.monitorClosed(dom, oldRun);

            assertThat(dom.isCurrent(newRun)).isTrue();
            assertThat(dom.status().reason()).isEqualTo(StateReason.RUNNING_BOOTED);
            assertThat(second.process.isAlive())
                    .as("the new QEMU survives the old run's EOF")
                    .isTrue();

            lifecycle.monitorClosed(dom, newRun);
            assertThat(dom.status().reason()).isEqualTo(StateReason.SHUTOFF_CRASHED);
        }
    }
}

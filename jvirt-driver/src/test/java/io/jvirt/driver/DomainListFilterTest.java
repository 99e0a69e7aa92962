package io.jvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.ListFlags;
import io.jvirt.api.StateReason;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DomainListFilterTest {
    private static DomainDef def(String name) {
        return DomainXml.parse("<domain type='qemu'><name>" + name + "</name><memory>65536</memory>"
                + "<os><type>hvm</type></os></domain>");
    }

    private static DomainObj persistentOff(String name, boolean autostart) {
        DomainObj d = new DomainObj(def(name));
        d.setPersistentDef(def(name));
        d.setAutostart(autostart);
        return d;
    }

    private static DomainObj active(String name, boolean persistent, StateReason reason) {
        DomainObj d = new DomainObj(def(name));
        if (persistent) {
            d.setPersistentDef(def(name));
        }
        d.markActive(1, new QemuRun(1, null, false), def(name).withId(1), reason);
        return d;
    }

    private static List<String> names(int flags, DomainObj... domains) {
        return Stream.of(domains)
                .filter(d -> DomainListFilter.matches(d, flags))
                .map(DomainObj::name)
                .toList();
    }

    @Test
    void eachGroupNarrowsOnlyWhenOneOfItsFlagsIsGiven() {
        DomainObj off = persistentOff("off", true);
        DomainObj running = active("running", true, StateReason.RUNNING_BOOTED);
        DomainObj paused = active("paused", false, StateReason.PAUSED_USER);
        DomainObj[] all = {off, running, paused};

        assertThat(names(0, all)).containsExactly("off", "running", "paused");
        assertThat(names(ListFlags.ACTIVE, all)).containsExactly("running", "paused");
        assertThat(names(ListFlags.INACTIVE, all)).containsExactly("off");
        assertThat(names(ListFlags.ACTIVE | ListFlags.INACTIVE, all)).containsExactly("off", "running", "paused");
        assertThat(names(ListFlags.TRANSIENT, all)).containsExactly("paused");
        assertThat(names(ListFlags.PAUSED | ListFlags.SHUTOFF, all)).containsExactly("off", "paused");
        assertThat(names(ListFlags.RUNNING | ListFlags.PERSISTENT, all)).containsExactly("running");
        assertThat(names(ListFlags.AUTOSTART, all)).containsExactly("off");
        assertThat(names(ListFlags.NO_AUTOSTART, all)).containsExactly("running", "paused");
        assertThat(names(ListFlags.MANAGEDSAVE, all)).isEmpty();
        assertThat(names(ListFlags.OTHER, all)).isEmpty();
    }
}

package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.driver.job.AsyncJobKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Migration phases as libvirt's status XML numbers and names them, and the rule that they only move forward. */
class MigrationPhaseTest {

    @Test
    void numbersAndNamesAreLibvirts() {
        Map<String, Integer> libvirt = new LinkedHashMap<>();
        libvirt.put("none", 0);
        libvirt.put("perform2", 1);
        libvirt.put("begin3", 2);
        libvirt.put("perform3", 3);
        libvirt.put("perform3_done", 4);
        libvirt.put("confirm3_cancelled", 5);
        libvirt.put("confirm3", 6);
        libvirt.put("prepare", 7);
        libvirt.put("finish2", 8);
        libvirt.put("finish3", 9);
        libvirt.put("postcopy_failed", 10);
        libvirt.put("begin_resume", 11);
        libvirt.put("perform_resume", 12);
        libvirt.put("confirm_resume", 13);
        libvirt.put("prepare_resume", 14);
        libvirt.put("finish_resume", 15);
        Map<String, Integer> jvirt = new LinkedHashMap<>();
        for (MigrationPhase p : MigrationPhase.values()) {
            jvirt.put(p.xmlName(), p.onDisk());
        }
        assertThat(jvirt).containsExactlyEntriesOf(libvirt);
    }

    @Test
    void namesReadBackToTheirPhase() {
        for (MigrationPhase p : MigrationPhase.values()) {
            assertThat(MigrationPhase.fromXmlName(p.xmlName())).isSameAs(p);
        }
        assertThatThrownBy(() -> MigrationPhase.fromXmlName("begin_nothing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'begin_nothing'");
    }

    @Test
    void everyPhaseMayMoveForwardOrStay() {
        MigrationPhase[] all = MigrationPhase.values();
        for (MigrationPhase from : all) {
            for (MigrationPhase to : Arrays.copyOfRange(all, from.ordinal(), all.length)) {
                assertThatCode(() -> from.requireForwardTo(to))
                        .as(from + " => " + to)
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void aStepBackIsRefusedWithLibvirtsMessage() {
        assertThatThrownBy(() -> MigrationPhase.PERFORM3.requireForwardTo(MigrationPhase.BEGIN3))
                .isInstanceOfSatisfying(VirtException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.getMessage()).contains("migration protocol going backwards perform3 => begin3");
                });
        assertThatThrownBy(() -> MigrationPhase.FINISH3.requireForwardTo(MigrationPhase.PREPARE))
                .hasMessageContaining("finish3 => prepare");
        assertThatThrownBy(() -> MigrationPhase.CONFIRM3.requireForwardTo(MigrationPhase.CONFIRM3_CANCELLED))
                .hasMessageContaining("confirm3 => confirm3_cancelled");
    }

    @Test
    void postcopyFailedIsReachableFromEveryPhaseButIsNoWayBack() {
        for (MigrationPhase from : MigrationPhase.values()) {
            assertThatCode(() -> from.requireForwardTo(MigrationPhase.POSTCOPY_FAILED))
                    .doesNotThrowAnyException();
        }
        // libvirt exempts only the phases from postcopy_failed on (its resume phases); a normal phase is a step back
        assertThatThrownBy(() -> MigrationPhase.POSTCOPY_FAILED.requireForwardTo(MigrationPhase.FINISH3))
                .hasMessageContaining("migration protocol going backwards postcopy_failed => finish3");
    }

    @Test
    void aRefusedStepLeavesTheJobWhereItWas() {
        MigrationJob job = new MigrationJob(AsyncJobKind.MIGRATION_OUT, 0, true);
        assertThat(job.phase()).isEqualTo(MigrationPhase.NONE);
        assertThat(job.phaseName()).isEqualTo("none");
        job.enter(MigrationPhase.BEGIN3);
        job.enter(MigrationPhase.PERFORM3);
        assertThatThrownBy(() -> job.enter(MigrationPhase.BEGIN3)).isInstanceOf(VirtException.class);
        assertThat(job.phase()).isEqualTo(MigrationPhase.PERFORM3);
        assertThat(job.phaseName()).isEqualTo("perform3");
    }
}

package io.jvirt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DomainState;
import io.jvirt.api.StateReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirshFormatTest {

    @Test
    void tableMatchesVirshLayoutForTheTestDriverListing() {
        // Captured from `virsh -c test:///default list --all` after defining g1 (virsh 11.3.0).
        String table = VirshFormat.table(
                List.of("Id", "Name", "State"),
                List.of(List.of("1", "test", "running"), List.of("-", "g1", "shut off")),
                true);

        assertThat(table).isEqualTo("""
                 Id   Name   State
                -----------------------
                 1    test   running
                 -    g1     shut off
                """);
    }

    @Test
    void emptyTableIsHeaderAndDashesSizedByTheHeader() {
        // `virsh list --inactive` with no inactive domains.
        assertThat(VirshFormat.table(List.of("Id", "Name", "State"), List.of(), true))
                .isEqualTo(" Id   Name   State\n--------------------\n");
    }

    @Test
    void tableWithoutHeaderSizesColumnsByTheRowsOnly() {
        // `virsh -q list`: " 1   test   running" (Id column 1 wide, not 2).
        assertThat(VirshFormat.table(List.of("Id", "Name", "State"), List.of(List.of("1", "test", "running")), false))
                .isEqualTo(" 1   test   running\n");
    }

    @Test
    void controlCharactersInCellsAreEscapedAndCountedAsEscaped() {
        String table = VirshFormat.table(List.of("A", "B"), List.of(List.of("x\ty", "z")), true);

        assertThat(table).isEqualTo(" A        B\n-------------\n x\\x09y   z\n");
    }

    @Test
    void statesUseVirshDisplayNames() {
        assertThat(VirshFormat.state(DomainState.RUNNING)).isEqualTo("running");
        assertThat(VirshFormat.state(DomainState.BLOCKED)).isEqualTo("idle");
        assertThat(VirshFormat.state(DomainState.SHUTDOWN)).isEqualTo("in shutdown");
        assertThat(VirshFormat.state(DomainState.SHUTOFF)).isEqualTo("shut off");
        assertThat(VirshFormat.state(DomainState.NOSTATE)).isEqualTo("no state");
        assertThat(VirshFormat.state(DomainState.PMSUSPENDED)).isEqualTo("pmsuspended");
    }

    @Test
    void reasonsUseVirshDisplayNamesNotStatusFileNames() {
        assertThat(VirshFormat.reason(StateReason.PAUSED_MIGRATION)).isEqualTo("migrating");
        assertThat(VirshFormat.reason(StateReason.PAUSED_SAVE)).isEqualTo("saving");
        assertThat(VirshFormat.reason(StateReason.PAUSED_DUMP)).isEqualTo("dumping");
        assertThat(VirshFormat.reason(StateReason.PAUSED_IOERROR)).isEqualTo("I/O error");
        assertThat(VirshFormat.reason(StateReason.PAUSED_SHUTTING_DOWN)).isEqualTo("shutting down");
        assertThat(VirshFormat.reason(StateReason.PAUSED_SNAPSHOT)).isEqualTo("creating snapshot");
        assertThat(VirshFormat.reason(StateReason.PAUSED_CRASHED)).isEqualTo("crashed");
        assertThat(VirshFormat.reason(StateReason.RUNNING_WAKEUP)).isEqualTo("event wakeup");
        assertThat(VirshFormat.reason(StateReason.RUNNING_UNPAUSED)).isEqualTo("unpaused");
        assertThat(VirshFormat.reason(StateReason.SHUTOFF_DESTROYED)).isEqualTo("destroyed");
        assertThat(VirshFormat.stateWithReason(StateReason.RUNNING_BOOTED)).isEqualTo("running (booted)");
    }

    @Test
    void everyReasonHasItsOwnDisplayName() {
        for (StateReason reason : StateReason.values()) {
            String shown = VirshFormat.reason(reason);
            assertThat(shown).as(reason.toString()).isNotBlank();
            if (reason.wire() != 0) {
                assertThat(shown).as(reason + " must not fall back to unknown").isNotEqualTo("unknown");
            }
        }
    }

    @Test
    void fieldsCpuTimeAndVersionsAreFormattedAsVirshPrintsThem() {
        assertThat(VirshFormat.field("Id:", 1)).isEqualTo("Id:             1");
        assertThat(VirshFormat.field("Security model:", "none")).isEqualTo("Security model: none");
        assertThat(VirshFormat.cpuTime(1_795_641_276_400_000_000L)).isEqualTo("1795641276.4s");
        assertThat(VirshFormat.cpuTime(50_000_000L)).isEqualTo("0.1s");
        assertThat(VirshFormat.version(10_000_002)).isEqualTo("10.0.2");
        assertThat(VirshFormat.version(11_003_000)).isEqualTo("11.3.0");
    }

    @Test
    void capacityAsVshPrettyCapacity() {
        assertThat(VirshFormat.capacity(0)).isEqualTo("0.000 B");
        assertThat(VirshFormat.capacity(1023)).isEqualTo("1023.000 B");
        assertThat(VirshFormat.capacity(1024)).isEqualTo("1.000 KiB");
        assertThat(VirshFormat.capacity(12_945_408)).isEqualTo("12.346 MiB");
        assertThat(VirshFormat.capacity(5L << 40)).isEqualTo("5.000 TiB");
        assertThat(VirshFormat.capacity(-1L)).isEqualTo("16.000 EiB");
    }
}

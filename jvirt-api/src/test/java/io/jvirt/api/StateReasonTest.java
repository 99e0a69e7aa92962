package io.jvirt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateReasonTest {
    @Test
    void everyStateHasAnUnknownReasonZeroAndNumbersAreUniquePerState() {
        for (DomainState state : DomainState.values()) {
            assertThat(StateReason.of(state, 0).state()).isEqualTo(state);
            assertThat(StateReason.of(state, 0).xmlName()).isEqualTo("unknown");
            Set<Integer> numbers = new HashSet<>();
            Set<String> names = new HashSet<>();
            for (StateReason r : StateReason.values()) {
                if (r.state() == state) {
                    assertThat(numbers.add(r.wire()))
                            .as("number %d twice in %s", r.wire(), state)
                            .isTrue();
                    assertThat(names.add(r.xmlName()))
                            .as("name %s twice in %s", r.xmlName(), state)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void libvirtNumbersAndStatusFileNames() {
        assertThat(StateReason.RUNNING_BOOTED.wire()).isEqualTo(1);
        assertThat(StateReason.RUNNING_UNPAUSED.wire()).isEqualTo(5);
        assertThat(StateReason.PAUSED_MIGRATION.wire()).isEqualTo(2);
        assertThat(StateReason.PAUSED_STARTING_UP.wire()).isEqualTo(11);
        assertThat(StateReason.SHUTOFF_DESTROYED.wire()).isEqualTo(2);
        assertThat(StateReason.SHUTOFF_CRASHED.wire()).isEqualTo(3);
        assertThat(StateReason.SHUTOFF_MIGRATED.wire()).isEqualTo(4);
        assertThat(DomainState.SHUTOFF.wire()).isEqualTo(5);
        assertThat(StateReason.PAUSED_SHUTTING_DOWN.xmlName()).isEqualTo("shutdown");
        assertThat(StateReason.PAUSED_CRASHED.xmlName()).isEqualTo("panicked");
        assertThat(StateReason.SHUTOFF_DESTROYED).hasToString("shutoff/destroyed");
    }

    @Test
    void roundTripsThroughWireAndXmlNames() {
        for (StateReason r : StateReason.values()) {
            assertThat(StateReason.of(r.state(), r.wire())).isEqualTo(r);
            assertThat(StateReason.fromXmlName(r.state(), r.xmlName())).isEqualTo(r);
            assertThat(DomainState.fromXmlName(r.state().xmlName())).isEqualTo(r.state());
        }
        assertThat(StateReason.of(DomainState.RUNNING, 99)).isEqualTo(StateReason.RUNNING_UNKNOWN);
        assertThatThrownBy(() -> StateReason.fromXmlName(DomainState.RUNNING, "destroyed"))
                .hasMessageContaining("destroyed")
                .hasMessageContaining("running");
    }

    @Test
    void statusRefusesAReasonOfAnotherState() {
        assertThatThrownBy(() -> new DomainStatus(DomainState.RUNNING, StateReason.SHUTOFF_DESTROYED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DomainStatus.of(StateReason.PAUSED_USER).state()).isEqualTo(DomainState.PAUSED);
    }

    @Test
    void errorsCarryLibvirtPrefixesAndNumbers() {
        VirtException e = VirtException.of(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU, "no domain with matching name 'x'");
        assertThat(e.getMessage()).isEqualTo("Domain not found: no domain with matching name 'x'");
        assertThat(e.code().wire()).isEqualTo(42);
        assertThat(e.domain().wire()).isEqualTo(10);
        assertThat(ErrorCode.fromWire(55)).isEqualTo(ErrorCode.OPERATION_INVALID);
        assertThat(ErrorCode.fromWire(12345)).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }
}

package io.jvirt.api;

/** A domain's state together with its reason, as {@code virDomainGetState} returns them. */
public record DomainStatus(DomainState state, StateReason reason) {
    public DomainStatus {
        if (reason.state() != state) {
            throw new IllegalArgumentException("reason " + reason + " does not belong to state " + state.xmlName());
        }
    }

    public static DomainStatus of(StateReason reason) {
        return new DomainStatus(reason.state(), reason);
    }

    @Override
    public String toString() {
        return reason.toString();
    }
}

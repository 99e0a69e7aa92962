package io.jvirt.api;

import java.util.List;

/**
 * One domain's bulk statistics ({@code virDomainStatsRecord}): typed parameters in libvirt's names
 * ({@code state.state}, {@code cpu.time}, {@code balloon.current}, {@code vcpu.0.time}, {@code block.0.rd.bytes}…).
 */
public record DomainStatsRecord(DomainRef domain, List<TypedParam> params) {
    public DomainStatsRecord {
        params = List.copyOf(params);
    }
}

package io.jvirt.qmp;

/**
 * Progress of {@code dump-guest-memory}, from {@code query-dump} or the {@code DUMP_COMPLETED} event.
 *
 * @param state           where the dump is
 * @param completedBytes  guest memory written so far ({@code completed})
 * @param totalBytes      guest memory to write in all ({@code total}); 0 before any dump
 */
public record DumpStatus(DumpState state, long completedBytes, long totalBytes) {}

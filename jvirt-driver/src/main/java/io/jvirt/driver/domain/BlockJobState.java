package io.jvirt.driver.domain;

import java.util.Map;

/**
 * What QEMU's {@code BLOCK_JOB_*} events said about one block job (a storage migration's mirror): its phase and,
 * once it failed, why. Immutable; built on the monitor's event thread, read by the job that waits for it.
 *
 * @param id     the job's id (the events' {@code device})
 * @param phase  where the job is
 * @param len    the job's total work in bytes, as the last event reported it
 * @param offset the work done in bytes, as the last event reported it
 * @param error  QEMU's reason for a failure ({@code BLOCK_JOB_COMPLETED}'s {@code error}, or the operation a
 *               {@code BLOCK_JOB_ERROR} reported), null otherwise
 */
public record BlockJobState(String id, Phase phase, long len, long offset, String error) {
    /** A job's phase as the events tell it. */
    public enum Phase {
        /** Started, copying (no event yet). */
        RUNNING,
        /** {@code BLOCK_JOB_READY}: a mirror copied everything once and now follows the guest's writes. */
        READY,
        /** {@code BLOCK_JOB_COMPLETED} without an error: the job finished, a mirror's target in sync. */
        COMPLETED,
        /** {@code BLOCK_JOB_CANCELLED}: stopped before it finished. */
        CANCELLED,
        /** {@code BLOCK_JOB_COMPLETED} with an error. */
        FAILED;

        /** Whether the job is gone from QEMU's point of view (nothing more will happen to it). */
        public boolean isFinal() {
            return this == COMPLETED || this == CANCELLED || this == FAILED;
        }
    }

    /** Whether {@code eventName} is an event this record follows. */
    public static boolean follows(String eventName) {
        return eventName.startsWith("BLOCK_JOB_");
    }

    /** A job just started, before any event. */
    public static BlockJobState started(String id) {
        return new BlockJobState(id, Phase.RUNNING, 0, 0, null);
    }

    /** The job's state after event {@code name} with {@code data}; {@code previous} is null for an unknown job. */
    static BlockJobState next(BlockJobState previous, String name, Map<String, Object> data) {
        String id = data.get("device") instanceof String s ? s : "";
        BlockJobState base = previous != null ? previous : started(id);
        long len = data.get("len") instanceof Number n ? n.longValue() : base.len();
        long offset = data.get("offset") instanceof Number n ? n.longValue() : base.offset();
        return switch (name) {
            case "BLOCK_JOB_READY" -> new BlockJobState(id, Phase.READY, len, offset, base.error());
            case "BLOCK_JOB_CANCELLED" -> new BlockJobState(id, Phase.CANCELLED, len, offset, base.error());
            case "BLOCK_JOB_COMPLETED" -> {
                Object error = data.get("error");
                yield error instanceof String e
                        ? new BlockJobState(id, Phase.FAILED, len, offset, e)
                        : new BlockJobState(id, Phase.COMPLETED, len, offset, null);
            }
            // With the default error action (report) the job fails next; keep what went wrong for its message.
            case "BLOCK_JOB_ERROR" ->
                new BlockJobState(
                        id,
                        base.phase(),
                        len,
                        offset,
                        (data.get("operation") instanceof String op ? op : "I/O") + " error");
            default -> base;
        };
    }
}

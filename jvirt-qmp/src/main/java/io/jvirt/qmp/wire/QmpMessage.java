package io.jvirt.qmp.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** One decoded message from QEMU. {@code id} is null when the message carried none (or not a number we sent). */
sealed interface QmpMessage {

    /**
     * The greeting QEMU sends on connect: {@code {"QMP": {"version": …, "capabilities": […]}}}; {@code oob} when its
     * capabilities offer out-of-band execution.
     */
    record Greeting(int major, int minor, int micro, boolean oob) implements QmpMessage {
        Greeting(int major, int minor, int micro) {
            this(major, minor, micro, false);
        }
    }

    /** A successful reply: {@code {"return": …, "id": …}}. */
    record Return(Long id, JsonNode value) implements QmpMessage {}

    /** An error reply: {@code {"error": {"class": …, "desc": …}, "id": …}}. */
    @SuppressWarnings("AvoidCommonTypeNames") // QMP's own name for the reply; always used qualified
    record Error(Long id, String errorClass, String description) implements QmpMessage {}

    /** An event: {@code {"event": …, "data": …, "timestamp": {"seconds": …, "microseconds": …}}}; data may be missing. */
    record Event(String name, JsonNode data, long timestampMicros) implements QmpMessage {}

    /** Anything else; logged and ignored. */
    record Unknown(JsonNode message) implements QmpMessage {}
}

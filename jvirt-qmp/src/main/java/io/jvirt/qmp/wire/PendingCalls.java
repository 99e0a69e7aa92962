package io.jvirt.qmp.wire;

import io.jvirt.qmp.MonitorClosedException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Commands sent and not yet answered, keyed by the id they were sent with. Callers register before writing;
 * the reader completes; closing fails every pending call at once and refuses new ones. Thread safe.
 */
final class PendingCalls {
    /** One command awaiting a {@link QmpMessage.Return} or {@link QmpMessage.Error}. */
    record Call(long id, String command, CompletableFuture<QmpMessage> reply) {}

    private final Map<Long, Call> calls = new LinkedHashMap<>();
    private long nextId = 1;
    private MonitorClosedException closedWith;

    synchronized Call register(String command) throws MonitorClosedException {
        if (closedWith != null) {
            throw new MonitorClosedException(
                    closedWith.getMessage() + " (command '" + command + "' not sent)", closedWith.getCause());
        }
        Call call = new Call(nextId++, command, new CompletableFuture<>());
        calls.put(call.id(), call);
        return call;
    }

    /**
     * Completes the call {@code id} names. A reply without an id can only belong to a call if exactly one is
     * pending (QEMU answers unparseable input that way). Returns false when no call matches (a reply that
     * came after its call timed out).
     */
    boolean complete(Long id, QmpMessage reply) {
        Call call;
        synchronized (this) {
            if (id != null) {
                call = calls.remove(id);
            } else if (calls.size() == 1) {
                Iterator<Call> only = calls.values().iterator();
                call = only.next();
                only.remove();
            } else {
                call = null;
            }
        }
        return call != null && call.reply().complete(reply);
    }

    synchronized void forget(long id) {
        calls.remove(id);
    }

    /** Fails everything pending with {@code cause} and refuses later registrations. Idempotent. */
    void closeAll(MonitorClosedException cause) {
        Call[] failing;
        synchronized (this) {
            if (closedWith == null) {
                closedWith = cause;
            }
            failing = calls.values().toArray(Call[]::new);
            calls.clear();
        }
        for (Call call : failing) {
            call.reply().completeExceptionally(cause);
        }
    }
}

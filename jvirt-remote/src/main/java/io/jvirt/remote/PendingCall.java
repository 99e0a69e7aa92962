package io.jvirt.remote;

import io.jvirt.rpc.wire.Message;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A call waiting for its reply. {@code onReply}, when set, runs on the reader thread before any later message is
 * read, so state it records (an event callback id, say) is in place before the server's next message arrives.
 */
record PendingCall(int procedure, CompletableFuture<Message> reply, Consumer<Message> onReply) {}

package io.jvirt.driver.save;

import io.jvirt.nativeio.FdInputStream;
import io.jvirt.nativeio.FdOutputStream;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays QEMU's side of the pipe: it takes its own copy of the fd (as getfd gives QEMU one) and writes or reads
 * on a platform thread, like QEMU's migration thread. Each thread's name starts with {@code fake-qemu}.
 */
final class FakeQemuStream {
    private static final int CHUNK = 64 * 1024;

    private FakeQemuStream() {}

    /** QEMU saving: writes {@code data} into (a copy of) {@code fd}, then closes it. */
    static CompletableFuture<Void> write(int fd, byte[] data) throws NativeIOException {
        int own = NativeFds.dup(fd);
        CompletableFuture<Void> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("fake-qemu-write").start(() -> {
            try (OutputStream out = new FdOutputStream(own, CHUNK)) {
                for (int off = 0; off < data.length; off += CHUNK) {
                    out.write(data, off, Math.min(CHUNK, data.length - off));
                }
                result.complete(null);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** A writer that never stops by itself: how much it wrote, and its end (always a refused write). */
    record EndlessWriter(CompletableFuture<Void> result, AtomicLong written) {}

    /** QEMU saving a guest with endless memory: writes until a write fails, which completes the future. */
    static EndlessWriter writeUntilRefused(int fd) throws NativeIOException {
        int own = NativeFds.dup(fd);
        EndlessWriter writer = new EndlessWriter(new CompletableFuture<>(), new AtomicLong());
        byte[] chunk = SaveFixtures.patterned(CHUNK);
        Thread.ofPlatform().daemon(true).name("fake-qemu-write").start(() -> {
            try (OutputStream out = new FdOutputStream(own, CHUNK)) {
                while (true) {
                    out.write(chunk, 0, chunk.length);
                    writer.written().addAndGet(chunk.length);
                }
            } catch (IOException | RuntimeException e) {
                writer.result().completeExceptionally(e);
            }
        });
        return writer;
    }

    /** QEMU restoring: reads (a copy of) {@code fd} to end of stream. */
    static CompletableFuture<byte[]> readAll(int fd) throws NativeIOException {
        int own = NativeFds.dup(fd);
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("fake-qemu-read").start(() -> {
            try (InputStream in = new FdInputStream(own, CHUNK)) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                in.transferTo(got);
                result.complete(got.toByteArray());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}

package io.jvirt.driver.root;

import static io.jvirt.api.util.Closeables.closeQuietly;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive claim of one process on a {@link HostRoot}: an OS file lock on {@code DIR/jvirt.lock} with the
 * holder's pid written inside, so a second opener fails at once naming who holds it. The OS drops the lock when
 * the holder dies, so a crashed holder never leaves the root locked.
 */
public final class RootLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails with OPERATION_INVALID "root DIR is in use by pid N". */
    public static RootLock acquire(HostRoot root) {
        Path file = root.lockFile();
        FileChannel ch = null;
        try {
            Files.createDirectories(root.dir());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM through another channel
            }
            if (lock == null) {
                String holder = readHolder(ch);
                ch.close();
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID,
                        ErrorDomain.QEMU,
                        "root " + root.dir() + " is in use by pid " + holder);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new RootLock(ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.QEMU,
                    "cannot lock root " + root.dir() + ": " + e.getMessage(),
                    e);
        }
    }

    private static String readHolder(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        ch.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
        return text.isEmpty() ? "unknown" : text;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                channel.truncate(0);
                lock.release();
            }
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        } finally {
            closeQuietly(channel);
        }
    }
}

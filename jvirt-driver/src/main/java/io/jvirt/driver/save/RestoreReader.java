package io.jvirt.driver.save;

import io.jvirt.api.VirtException;
import io.jvirt.api.util.Closeables;
import io.jvirt.nativeio.FdOutputStream;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.Pipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries a save image's migration stream to QEMU for a restore: QEMU reads a pipe ({@link #qemuFd()}) and the
 * platform thread {@code restore-pump[<domain>]} fills it from the file after the preamble (raw), or from the
 * decompressor's stdout; then a second platform thread, {@code restore-feed[<domain>]}, feeds the decompressor's
 * stdin from the file, because the stream starts in the middle of the file. At the end the pipe is closed, so
 * QEMU sees end of stream.
 *
 * <p>Use: {@link #start}, pass {@link #qemuFd()} with getfd, {@link #closeQemuFd()}, {@code migrate-incoming},
 * wait for QEMU, {@link #awaitDone(Duration)}. Any method may be called from any thread. Errors are
 * {@link VirtException}s from {@link #start} and {@link #awaitDone}.
 */
public final class RestoreReader extends PumpedPipe {
    private static final System.Logger LOG = System.getLogger(RestoreReader.class.getName());
    private static final int BUFFER_SIZE = PumpLifecycle.BUFFER_SIZE;

    private final String domainName;
    private final Path image;
    private final FileChannel file;
    private final FdOutputStream sink;
    private final ChildProgram decompressor;
    private final AtomicLong bytes = new AtomicLong();
    private final Thread feed;
    private volatile VirtException feedFailure;
    private volatile boolean feedStopped;

    private RestoreReader(
            String domainName, Path image, FileChannel file, Pipe pipe, ChildProgram decompressor, String suffix) {
        FdOutputStream sink = new FdOutputStream(pipe.writeFd(), BUFFER_SIZE);
        // Abort closes the file too, so neither pump thread keeps reading it.
        Runnable closeFile = () -> Closeables.closeQuietly(file);
        super(new PumpLifecycle(
                "reading save image '" + image + "' of domain '" + domainName + "'",
                "restoring domain '" + domainName + "' from '" + image + "' was aborted",
                pipe.readFd(),
                sink::close,
                decompressor,
                closeFile,
                closeFile));
        this.domainName = domainName;
        this.image = image;
        this.file = file;
        this.sink = sink;
        this.decompressor = decompressor;
        lifecycle.thread("restore-pump" + suffix, this::run);
        this.feed = decompressor == null ? null : lifecycle.thread("restore-feed" + suffix, this::feedDecompressor);
    }

    /** As {@link #start(Path, long, SaveFormat, String, ProgramSearch)} with the system search path. */
    public static RestoreReader start(Path image, long streamOffset, SaveFormat format, String domainName) {
        return start(image, streamOffset, format, domainName, ProgramSearch.system());
    }

    /**
     * Starts pumping the stream that begins at {@code streamOffset} (from {@link SaveImage#open}). A missing
     * decompressor fails before anything is opened.
     */
    public static RestoreReader start(
            Path image, long streamOffset, SaveFormat format, String domainName, ProgramSearch programs) {
        List<String> command = format.isCompressed() ? format.decompressCommand(programs) : List.of();
        String suffix = "[" + domainName + "]";
        FileChannel file;
        try {
            file = FileChannel.open(image, StandardOpenOption.READ);
        } catch (IOException e) {
            throw SaveErrors.io("cannot open save image '" + image + "'", e);
        }
        Pipe pipe = null;
        try {
            if (file.size() < streamOffset) {
                throw SaveErrors.failed("save image '" + image + "' ends before its migration stream", null);
            }
            file.position(streamOffset);
            pipe = PumpPipe.open();
            ChildProgram decompressor = format.isCompressed()
                    ? ChildProgram.start(
                            command,
                            ProcessBuilder.Redirect.PIPE,
                            ProcessBuilder.Redirect.PIPE,
                            "restore-pump" + suffix)
                    : null;
            RestoreReader reader = new RestoreReader(domainName, image, file, pipe, decompressor, suffix);
            reader.lifecycle.start();
            return reader;
        } catch (IOException | RuntimeException e) {
            Closeables.closeQuietly(file);
            if (pipe != null) {
                NativeFds.closeQuietly(pipe.readFd());
                NativeFds.closeQuietly(pipe.writeFd());
            }
            if (e instanceof NativeIOException n) {
                throw SaveErrors.io("cannot create the restore pipe for domain '" + domainName + "'", n);
            }
            if (e instanceof IOException io) {
                throw SaveErrors.io("cannot start reading save image '" + image + "'", io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Stream bytes handed to QEMU so far (after decompression); for progress reports. */
    public long bytesRead() {
        return bytes.get();
    }

    /** The decompressor process, if any; lets tests play one that dies. */
    Optional<ProcessHandle> decompressor() {
        return lifecycle.child();
    }

    private void run() {
        lifecycle.runPump(
                this::copyAndFinish,
                "cannot read save image '" + image + "'",
                "restore pump of domain '" + domainName + "'");
    }

    private void copyAndFinish() throws IOException {
        byte[] buf = new byte[BUFFER_SIZE];
        if (decompressor == null) {
            copy(new FileInput(file, buf), buf);
            file.close();
        } else {
            copy(decompressor.stdout(), buf);
            finishDecompressor();
        }
        sink.close();
        lifecycle.checkNotAborted();
        LOG.log(Level.DEBUG, "restored {0} stream bytes of {1} from {2}", bytes.get(), domainName, image);
    }

    private void copy(InputStream in, byte[] buf) throws IOException {
        int n;
        while (true) {
            lifecycle.checkNotAborted();
            n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return;
            }
            try {
                sink.write(buf, 0, n);
            } catch (IOException e) {
                lifecycle.checkNotAborted();
                throw SaveErrors.io("cannot pass save image '" + image + "' to QEMU", e);
            }
            bytes.addAndGet(n);
        }
    }

    private void finishDecompressor() throws IOException {
        int status;
        try {
            status = decompressor.waitForExit();
            feed.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw lifecycle.abortedError();
        }
        lifecycle.checkNotAborted();
        if (status != 0) {
            throw SaveErrors.failed(
                    "cannot read save image '" + image + "': " + decompressor.describeFailure(status), null);
        }
        if (feedFailure != null) {
            throw feedFailure;
        }
        if (feedStopped) {
            throw SaveErrors.failed(
                    "cannot read save image '" + image + "': " + decompressor.name()
                            + " exited before reading the whole image",
                    null);
        }
    }

    /** Runs on the feed thread: file (from the stream offset) into the decompressor's stdin. */
    private void feedDecompressor() {
        byte[] buf = new byte[BUFFER_SIZE];
        FileInput in = new FileInput(file, buf);
        try (OutputStream out = decompressor.stdin()) {
            int n;
            while (!lifecycle.isAborted() && (n = readFile(in, buf)) >= 0) {
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    // The decompressor stopped reading; its exit status tells the pump why.
                    feedStopped = true;
                    return;
                }
            }
        } catch (IOException e) {
            feedStopped = true;
        } catch (VirtException e) {
            feedFailure = e;
            decompressor.kill();
        }
    }

    private int readFile(FileInput in, byte[] buf) {
        try {
            return in.read(buf, 0, buf.length);
        } catch (IOException e) {
            throw SaveErrors.io("cannot read save image '" + image + "'", e);
        }
    }

    /** The file as an InputStream reading into one fixed buffer (no per-read allocation, unlike Channels.newInputStream). */
    private static final class FileInput extends InputStream {
        private final FileChannel file;
        private final ByteBuffer view;

        FileInput(FileChannel file, byte[] buf) {
            this.file = file;
            this.view = ByteBuffer.wrap(buf);
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("bulk reads only");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (b != view.array()) {
                throw new IllegalArgumentException("reads go into the buffer given at construction");
            }
            view.clear().position(off).limit(off + len);
            return file.read(view);
        }
    }
}

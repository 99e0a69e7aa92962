package io.jvirt.driver.save;

import io.jvirt.api.VirtException;
import io.jvirt.api.util.Closeables;
import io.jvirt.nativeio.FdInputStream;
import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.NativeIOException;
import io.jvirt.nativeio.Pipe;
import java.io.IOException;
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
 * Carries QEMU's outgoing migration stream into a save image (or core dump) file: QEMU writes into a pipe
 * ({@link #qemuFd()}), and one platform thread, {@code save-pump[<domain>]}, copies the pipe into the file after
 * the preamble, either directly (raw) or through the format's compressor, whose stdout appends to the file.
 *
 * <p>Use: {@link #start}, pass {@link #qemuFd()} with getfd, {@link #closeQemuFd()}, {@code migrate fd:...}, wait
 * for QEMU, then {@link #awaitDone(Duration)}; on a failure on our side {@link #abort()} then migrate_cancel.
 * Any method may be called from any thread; the blocking copy runs only on the pump's own platform thread(s).
 * Errors are {@link VirtException}s from {@link #start} and {@link #awaitDone}.
 */
public final class SaveWriter extends PumpedPipe {
    private static final System.Logger LOG = System.getLogger(SaveWriter.class.getName());

    private final String domainName;
    private final Path image;
    private final FdInputStream source;
    private final FileChannel rawFile;
    private final ChildProgram compressor;
    private final AtomicLong bytes = new AtomicLong();

    private SaveWriter(
            String domainName, Path image, Pipe pipe, FileChannel rawFile, ChildProgram compressor, String threadName) {
        FdInputStream source = new FdInputStream(pipe.readFd(), PumpLifecycle.BUFFER_SIZE);
        // Abort leaves the raw file to the pump thread, which closes it when it fails on the closed pipe.
        super(new PumpLifecycle(
                "writing save image '" + image + "' of domain '" + domainName + "'",
                "saving domain '" + domainName + "' to '" + image + "' was aborted",
                pipe.writeFd(),
                source::close,
                compressor,
                () -> {},
                () -> Closeables.closeQuietly(rawFile)));
        this.domainName = domainName;
        this.image = image;
        this.source = source;
        this.rawFile = rawFile;
        this.compressor = compressor;
        lifecycle.thread(threadName, this::run);
    }

    /** As {@link #start(Path, long, SaveFormat, String, ProgramSearch)} with the system search path. */
    public static SaveWriter start(Path image, long streamOffset, SaveFormat format, String domainName) {
        return start(image, streamOffset, format, domainName, ProgramSearch.system());
    }

    /**
     * Starts the pump for an image whose preamble ends at {@code streamOffset} (anything after it is cut off).
     * The compressor is looked up first, so a missing one fails before the file is touched.
     */
    public static SaveWriter start(
            Path image, long streamOffset, SaveFormat format, String domainName, ProgramSearch programs) {
        List<String> command = format.isCompressed() ? format.compressCommand(programs) : List.of();
        String threadName = "save-pump[" + domainName + "]";
        Pipe pipe;
        try {
            pipe = PumpPipe.open();
        } catch (NativeIOException e) {
            throw SaveErrors.io("cannot create the save pipe for domain '" + domainName + "'", e);
        }
        FileChannel rawFile = null;
        ChildProgram compressor = null;
        try {
            FileChannel file = FileChannel.open(image, StandardOpenOption.WRITE);
            cutAtStream(file, image, streamOffset);
            if (format.isCompressed()) {
                file.close();
                compressor = ChildProgram.start(
                        command,
                        ProcessBuilder.Redirect.PIPE,
                        ProcessBuilder.Redirect.appendTo(image.toFile()),
                        threadName);
            } else {
                rawFile = file;
            }
        } catch (IOException | RuntimeException e) {
            NativeFds.closeQuietly(pipe.readFd());
            NativeFds.closeQuietly(pipe.writeFd());
            Closeables.closeQuietly(rawFile);
            if (e instanceof IOException io) {
                throw SaveErrors.io("cannot open save image '" + image + "'", io);
            }
            throw (RuntimeException) e;
        }
        SaveWriter writer = new SaveWriter(domainName, image, pipe, rawFile, compressor, threadName);
        writer.lifecycle.start();
        return writer;
    }

    /** Bytes of QEMU's stream taken so far (before compression); for progress reports. */
    public long bytesWritten() {
        return bytes.get();
    }

    /** The compressor process, if any; lets tests play a compressor that dies. */
    Optional<ProcessHandle> compressor() {
        return lifecycle.child();
    }

    private void run() {
        lifecycle.runPump(
                this::copyAndFinish,
                "cannot write save image '" + image + "'",
                "save pump of domain '" + domainName + "'");
    }

    private void copyAndFinish() throws IOException {
        byte[] buf = new byte[PumpLifecycle.BUFFER_SIZE];
        ByteBuffer view = ByteBuffer.wrap(buf);
        int n;
        while ((n = readStream(buf)) >= 0) {
            if (compressor != null) {
                feedCompressor(buf, n);
            } else {
                writeFile(view, n);
            }
            bytes.addAndGet(n);
        }
        source.close();
        if (compressor != null) {
            finishCompressor();
        } else {
            rawFile.force(true);
            rawFile.close();
        }
        lifecycle.checkNotAborted();
        LOG.log(Level.DEBUG, "saved {0} stream bytes of {1} to {2}", bytes.get(), domainName, image);
    }

    private int readStream(byte[] buf) {
        lifecycle.checkNotAborted();
        try {
            return source.read(buf, 0, buf.length);
        } catch (IOException e) {
            lifecycle.checkNotAborted();
            throw SaveErrors.io("cannot read the migration stream of domain '" + domainName + "'", e);
        }
    }

    private void writeFile(ByteBuffer view, int n) throws IOException {
        view.clear().limit(n);
        while (view.hasRemaining()) {
            rawFile.write(view);
        }
    }

    private void feedCompressor(byte[] buf, int n) {
        try {
            compressor.stdin().write(buf, 0, n);
        } catch (IOException e) {
            throw compressorError(e);
        }
    }

    private void finishCompressor() throws IOException {
        try {
            compressor.stdin().close();
        } catch (IOException e) {
            throw compressorError(e);
        }
        int status = waitForCompressor();
        if (status != 0) {
            throw SaveErrors.failed(
                    "cannot write save image '" + image + "': " + compressor.describeFailure(status), null);
        }
        String warnings = compressor.stderrText();
        if (!warnings.isEmpty()) {
            LOG.log(Level.INFO, "{0} said while saving {1}: {2}", compressor.name(), domainName, warnings);
        }
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.WRITE)) {
            file.force(true);
        }
    }

    /** A write to the compressor failed: it most likely died, and its status and stderr say why. */
    private VirtException compressorError(IOException e) {
        lifecycle.checkNotAborted();
        int status = compressor.exitStatusWithin(Duration.ofSeconds(10));
        String why = status != 0
                ? compressor.describeFailure(status)
                : compressor.name() + " stopped reading: " + SaveErrors.reason(e);
        return SaveErrors.failed("cannot write save image '" + image + "': " + why, e);
    }

    private int waitForCompressor() {
        try {
            return compressor.waitForExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            compressor.kill();
            throw lifecycle.abortedError();
        }
    }

    private static void cutAtStream(FileChannel file, Path image, long streamOffset) throws IOException {
        if (file.size() < streamOffset) {
            throw SaveErrors.failed(
                    "save image '" + image + "' is shorter than its preamble (" + file.size() + " < " + streamOffset
                            + " bytes)",
                    null);
        }
        file.truncate(streamOffset);
        file.position(streamOffset);
    }
}

package io.jvirt.driver.root;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that a reader (or a daemon restarted after a crash) sees either the old content or the new,
 * never a torn mix: write a temp file beside the target, fsync it, rename it over the target, fsync the directory.
 * The temp file is named {@code .TARGET.tmp-PID-N}: hidden from the loaders (which list {@code *.xml} and the
 * like), unique per writer, and recognisable as left behind by a process that died ({@link #removeStaleTemps}).
 *
 * <p>Threading: any thread; two threads writing the same target both succeed, the later rename wins.
 */
public final class AtomicFiles {
    private static final Logger LOG = System.getLogger(AtomicFiles.class.getName());
    private static final Pattern TEMP = Pattern.compile("\\..+\\.tmp-(\\d+)(-\\d+)?");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private AtomicFiles() {}

    /** What writes the new content: it may fail (or the process die) at any point without harm to the target. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Replaces {@code target} with what {@code content} writes, or, if it throws, leaves {@code target} as it was. */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-"
                + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Makes a rename or unlink in {@code dir} durable. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename itself is still atomic.
        }
    }

    /** Deletes {@code file} if present and makes the deletion durable. */
    public static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
    }

    /**
     * Deletes the temp files in {@code dir} that a writer killed mid-write left: those of processes no longer alive.
     * A live process's (this one's included) may be a write in progress, so they stay.
     *
     * @return the files deleted
     */
    public static List<Path> removeStaleTemps(Path dir) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Matcher m = TEMP.matcher(f.getFileName().toString());
                if (m.matches() && !alive(m.group(1)) && Files.deleteIfExists(f)) {
                    removed.add(f);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot clean temp files in {0}: {1}", dir, e.getMessage());
        }
        if (!removed.isEmpty()) {
            LOG.log(Level.INFO, "removed {0} unfinished write(s) in {1}", removed.size(), dir);
            syncDirectory(dir);
        }
        return removed;
    }

    private static boolean alive(String pid) {
        try {
            long p = Long.parseLong(pid);
            return p == ProcessHandle.current().pid()
                    || ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

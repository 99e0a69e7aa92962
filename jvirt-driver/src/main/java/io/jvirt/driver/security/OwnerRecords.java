package io.jvirt.driver.security;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.driver.root.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The original owner of every file given to a QEMU account on this machine, and how many running guests use it:
 * what libvirt keeps in a file's {@code trusted.libvirt.security.*} xattrs. A file keeps the QEMU account as owner
 * until the last guest that uses it stops, then gets its original owner back. One record per file (named by a
 * hash of its real path) in a root-only directory: machine-wide like the xattrs, so two hosts (roots) on one
 * machine that share a disk during a migration count each other's use, and persistent, so a restarted daemon gives
 * back the files of guests that ended meanwhile. Not an xattr in the {@code user.} namespace, the only one the JDK
 * writes: the QEMU account owns the file while the guest runs and could rewrite it.
 *
 * <p>Threading: any thread; every change holds a JVM lock and a file lock, so daemons in other processes and
 * other drivers in this JVM see whole records.
 */
public final class OwnerRecords {
    private static final Logger LOG = System.getLogger(OwnerRecords.class.getName());
    /** Where a daemon running as root keeps the records. */
    public static final Path SYSTEM_DIR = Path.of("/var/lib/jvirt/dac");

    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    private final Path dir;
    /** Whether the temp files of writers killed mid-write were cleaned yet (once, under the file lock). */
    private final AtomicBoolean swept = new AtomicBoolean();

    public OwnerRecords(Path dir) {
        this.dir = dir;
    }

    /**
     * Gives {@code file} to {@code account} for one more guest. A file only read ({@code readOnly}) that the
     * account can read already is left as it is, as are files on a read-only file system (libvirt's DAC driver
     * only notes those).
     *
     * @return whether {@code file} was taken, to be {@link #release released} when the guest stops
     * @throws VirtException SYSTEM_ERROR from the SECURITY domain, in libvirt's words, when the owner cannot be set
     */
    public boolean acquire(Path file, QemuAccount account, boolean readOnly) {
        return locked(() -> {
            Path record = recordOf(file);
            Properties p = read(record);
            if (p == null) {
                FileOwner now = FileOwner.of(file);
                if (readOnly && now.readableBy(account)) {
                    return false;
                }
                p = new Properties();
                p.setProperty("path", file.toString());
                p.setProperty("uid", Integer.toString(now.uid()));
                p.setProperty("gid", Integer.toString(now.gid()));
                p.setProperty("refs", "0");
            }
            // Recorded before the chown: a daemon that dies in between still finds what to give back.
            int refs = Integer.parseInt(p.getProperty("refs")) + 1;
            p.setProperty("refs", Integer.toString(refs));
            write(record, p);
            try {
                if (!chown(file, account.uid(), account.gid())) {
                    undo(record, p, refs);
                    return false;
                }
            } catch (RuntimeException e) {
                undo(record, p, refs);
                throw e;
            }
            return true;
        });
    }

    /** Ends one guest's use of {@code file}; the last one gives the file back to its original owner. */
    public void release(Path file) {
        locked(() -> {
            Path record = recordOf(file);
            Properties p = read(record);
            if (p == null) {
                return null;
            }
            int refs = Integer.parseInt(p.getProperty("refs")) - 1;
            if (refs > 0) {
                p.setProperty("refs", Integer.toString(refs));
                write(record, p);
                return null;
            }
            try {
                chown(file, Integer.parseInt(p.getProperty("uid")), Integer.parseInt(p.getProperty("gid")));
            } catch (VirtException e) {
                // A file that went away or cannot be changed any more: nothing to give back.
                LOG.log(Level.WARNING, e.getMessage());
            }
            delete(record);
            return null;
        });
    }

    /** How many running guests use {@code file}, 0 when it is not recorded. */
    public int refs(Path file) {
        return locked(() -> {
            Properties p = read(recordOf(file));
            return p == null ? 0 : Integer.parseInt(p.getProperty("refs"));
        });
    }

    private void undo(Path record, Properties p, int refs) {
        if (refs > 1) {
            p.setProperty("refs", Integer.toString(refs - 1));
            write(record, p);
        } else {
            delete(record);
        }
    }

    /**
     * Sets the owner of {@code file}; false for a read-only file system, where libvirt goes on without the change.
     */
    private static boolean chown(Path file, int uid, int gid) {
        try {
            FileOwner now = FileOwner.of(file);
            if (now.uid() == uid && now.gid() == gid) {
                return true;
            }
            Files.setAttribute(file, "unix:uid", uid);
            Files.setAttribute(file, "unix:gid", gid);
            return true;
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? e.getMessage() : e.getReason();
            if ("Read-only file system".equals(reason)) {
                LOG.log(Level.INFO, "cannot set the owner of {0} on a read-only file system", file);
                return false;
            }
            throw chownFailed(file, uid, gid, reason, e);
        } catch (IOException | VirtException e) {
            throw chownFailed(file, uid, gid, e.getMessage(), e);
        }
    }

    private static VirtException chownFailed(Path file, int uid, int gid, String reason, Exception cause) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.SECURITY,
                "unable to set user and group to '" + uid + ":" + gid + "' on '" + file + "': " + reason,
                cause);
    }

    private Path recordOf(Path file) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(file.toString().getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Properties read(Path record) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(record)));
            return p.getProperty("refs") == null ? null : p;
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw storeError(record, e);
        }
    }

    private static void write(Path record, Properties p) {
        String text = "path=" + escape(p.getProperty("path")) + "\nuid=" + p.getProperty("uid") + "\ngid="
                + p.getProperty("gid") + "\nrefs=" + p.getProperty("refs") + "\n";
        try {
            AtomicFiles.write(record, text);
        } catch (IOException e) {
            throw storeError(record, e);
        }
    }

    /** A path as a properties value: backslashes and line breaks escaped. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static void delete(Path record) {
        try {
            AtomicFiles.delete(record);
        } catch (IOException e) {
            throw storeError(record, e);
        }
    }

    private interface Step<T> {
        T run();
    }

    private <T> T locked(Step<T> step) {
        JVM_LOCK.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel ch =
                            FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock _ = ch.lock()) {
                if (swept.compareAndSet(false, true)) {
                    AtomicFiles.removeStaleTemps(dir);
                }
                return step.run();
            }
        } catch (IOException e) {
            throw storeError(dir, e);
        } finally {
            JVM_LOCK.unlock();
        }
    }

    private static VirtException storeError(Path where, IOException e) {
        return VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.SECURITY,
                "cannot keep the original owners of QEMU's files in " + where + ": " + e.getMessage(),
                e);
    }
}

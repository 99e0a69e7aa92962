package io.jvirt.driver.security;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.root.AtomicFiles;
import io.jvirt.driver.root.DriverSettings;
import io.jvirt.driver.root.HostRoot;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gives a guest's QEMU account what it needs before QEMU starts and takes it back when the guest stops, as
 * libvirt's DAC driver's SetAllLabel and RestoreAllLabel do: the files of {@link GuestFiles} through the
 * machine's {@link OwnerRecords} (so a file shared by two guests keeps the account until the last one stops), and
 * the domain's private directory ({@link HostRoot#domainRunDir}), made for the run and removed after it. What this
 * run took is listed in {@link HostRoot#labelsFile} (root's, outside QEMU's reach), which the stop, or the next
 * driver to open the root when the guest ended without one, gives back. Nothing is done for an account that is not
 * {@link QemuAccount#confined() confined}.
 *
 * <p>Threading: called under the domain's job (start, hot plug) or from the one place a run ends, on the caller's
 * thread.
 */
public final class DomainLabels {
    private static final Logger LOG = System.getLogger(DomainLabels.class.getName());

    private final HostRoot root;
    private final QemuAccount account;
    private final OwnerRecords records;

    public DomainLabels(HostRoot root, QemuAccount account, OwnerRecords records) {
        this.root = root;
        this.account = account;
        this.records = records;
    }

    /** The labels of {@code root}'s domains for the account {@code settings} name, in the machine's records. */
    public static DomainLabels of(HostRoot root, DriverSettings settings) {
        return new DomainLabels(
                root, QemuAccount.resolve(settings.security()), new OwnerRecords(OwnerRecords.SYSTEM_DIR));
    }

    public QemuAccount account() {
        return account;
    }

    /**
     * Makes the private directory of domain {@code name} and gives the account every file of {@code def}. On a
     * failure what was taken stays listed: the caller {@link #restore restores} it.
     */
    public void label(String name, DomainDef def) {
        Path dir = root.domainRunDir(name);
        try {
            Files.createDirectories(dir);
            if (account.confined()) {
                Files.setAttribute(dir, "unix:uid", account.uid());
                Files.setAttribute(dir, "unix:gid", account.gid());
            }
        } catch (IOException e) {
            throw failure("cannot prepare the private directory " + dir, e);
        }
        if (!account.confined()) {
            return;
        }
        Set<Path> seen = new LinkedHashSet<>();
        for (GuestFiles.Use use : GuestFiles.of(def)) {
            if (GuestFiles.createdIfMissing(use, def)) {
                createLog(use.path());
            }
            take(name, use, seen);
        }
    }

    /** Gives the account a hot-plugged disk's images; {@link #restoreDisk} gives them back when it is unplugged. */
    public void labelDisk(String name, DiskDef disk) {
        if (!account.confined()) {
            return;
        }
        Set<Path> seen = new LinkedHashSet<>(listed(name));
        for (GuestFiles.Use use : GuestFiles.ofDisk(disk)) {
            take(name, use, seen);
        }
    }

    /**
     * Gives back the images of a disk that left the running guest {@code name} (unplugged, or a plug that failed),
     * keeping those the guest's {@code remaining} definition still uses (a backing file two disks share). Failures
     * are logged: the disk is gone from the guest either way.
     */
    public void restoreDisk(String name, DiskDef disk, DomainDef remaining) {
        if (!account.confined()) {
            return;
        }
        Set<Path> kept = new LinkedHashSet<>();
        for (GuestFiles.Use use : GuestFiles.of(remaining)) {
            kept.add(realPathOrSelf(use.path()));
        }
        List<Path> taken = new ArrayList<>(listed(name));
        boolean changed = false;
        for (GuestFiles.Use use : GuestFiles.ofDisk(disk)) {
            Path file = realPathOrSelf(use.path());
            if (kept.contains(file) || !taken.remove(file)) {
                continue;
            }
            changed = true;
            try {
                records.release(file);
            } catch (VirtException e) {
                LOG.log(Level.WARNING, "domain {0}: {1}", name, e.getMessage());
            }
        }
        if (changed) {
            try {
                writeList(name, taken);
            } catch (VirtException e) {
                LOG.log(Level.WARNING, "domain {0}: {1}", name, e.getMessage());
            }
        }
    }

    /**
     * Gives back everything the run of domain {@code name} took and removes its private directory. Idempotent;
     * failures are logged, as libvirt's restore never fails a stop.
     */
    public void restore(String name) {
        List<Path> taken = listed(name);
        for (Path file : taken.reversed()) {
            try {
                records.release(file);
            } catch (VirtException e) {
                LOG.log(Level.WARNING, "domain {0}: {1}", name, e.getMessage());
            }
        }
        try {
            AtomicFiles.delete(root.labelsFile(name));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "domain {0}: cannot remove {1}: {2}", name, root.labelsFile(name), e.getMessage());
        }
        Path dir = root.domainRunDir(name);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "domain {0}: cannot remove {1}: {2}", name, dir, e.getMessage());
            }
        }
    }

    /**
     * Gives back what every domain of {@code root} still has listed, as {@link #restore} does for each: for a root
     * whose QEMUs were killed behind its driver's back and that goes away before a driver opens it again (a test's
     * clean-up).
     */
    public static void giveBackAll(HostRoot root) throws IOException {
        if (!Files.isDirectory(root.runDir())) {
            return;
        }
        DomainLabels labels =
                new DomainLabels(root, new QemuAccount(0, 0, false), new OwnerRecords(OwnerRecords.SYSTEM_DIR));
        try (Stream<Path> files = Files.list(root.runDir())) {
            for (Path list : files.filter(p -> p.toString().endsWith(".dac")).toList()) {
                String file = list.getFileName().toString();
                labels.restore(file.substring(0, file.length() - ".dac".length()));
            }
        }
    }

    private void take(String name, GuestFiles.Use use, Set<Path> seen) {
        Path file = realPath(use.path());
        if (file == null || !seen.add(file)) {
            return; // a missing file is QEMU's to report; a file used twice by one guest is taken once
        }
        if (records.acquire(file, account, use.readOnly())) {
            List<Path> taken = new ArrayList<>(listed(name));
            taken.add(file);
            writeList(name, taken);
        }
    }

    /** The resolved path, or the path itself when it no longer resolves (an image deleted while in use). */
    private static Path realPathOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot resolve '" + path + "'", e);
        }
    }

    /** A serial or console file QEMU would create: made first (root's), so it can be given like any other. */
    private static void createLog(Path file) {
        try {
            if (!Files.exists(file) && Files.isDirectory(file.getParent())) {
                Files.createFile(file);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot create {0}: {1}", file, e.getMessage());
        }
    }

    private List<Path> listed(String name) {
        try {
            return Files.readAllLines(root.labelsFile(name)).stream()
                    .filter(l -> !l.isBlank())
                    .map(Path::of)
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("cannot read " + root.labelsFile(name), e);
        }
    }

    private void writeList(String name, List<Path> taken) {
        StringBuilder text = new StringBuilder();
        for (Path p : taken) {
            text.append(p).append('\n');
        }
        try {
            AtomicFiles.write(root.labelsFile(name), text.toString());
        } catch (IOException e) {
            throw failure("cannot write " + root.labelsFile(name), e);
        }
    }

    private static VirtException failure(String what, IOException e) {
        return VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.SECURITY, what + ": " + e.getMessage(), e);
    }
}

package io.jvirt.driver.domain;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.DomainXml;
import io.jvirt.config.FormatFlag;
import io.jvirt.driver.root.AtomicFiles;
import io.jvirt.driver.root.HostRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The driver's files under a {@link HostRoot}: persistent definitions, autostart markers, status files of
 * running domains and the last state of inactive ones. Every write is atomic ({@link AtomicFiles}), so a
 * driver that dies mid-write leaves the previous content, never a torn file.
 */
public final class DomainStore {
    private final HostRoot root;

    public DomainStore(HostRoot root) {
        this.root = root;
    }

    public HostRoot root() {
        return root;
    }

    /** The persistent definitions' files. */
    public List<Path> configFiles() {
        return list(root.configDir(), ".xml");
    }

    public DomainDef loadConfig(Path file) {
        return DomainXml.parse(read(file)).withId(-1);
    }

    public void saveConfig(DomainDef def) {
        write(root.configFile(def.name()), DomainXml.format(def, EnumSet.of(FormatFlag.INACTIVE)));
    }

    public void deleteConfig(String name) {
        delete(root.configFile(name));
        delete(root.autostartMarker(name));
    }

    public boolean isAutostart(String name) {
        return Files.exists(root.autostartMarker(name));
    }

    public void setAutostart(String name, boolean on) {
        if (on) {
            write(root.autostartMarker(name), name + "\n");
        } else {
            delete(root.autostartMarker(name));
        }
    }

    /** Status files of domains that were running when the last driver closed. */
    public List<Path> statusFiles() {
        return list(root.runDir(), ".xml");
    }

    /** The lists of files given to running domains' QEMU users ({@code run/qemu/NAME.dac}). */
    public List<Path> labelFiles() {
        return list(root.runDir(), ".dac");
    }

    public StatusXml loadStatus(Path file) {
        return StatusXml.parse(read(file), file.toString());
    }

    public void saveStatus(String name, StatusXml status) {
        write(root.statusFile(name), status.format());
    }

    public void deleteStatus(String name) {
        delete(root.statusFile(name));
    }

    public Optional<StateReason> loadLastState(String name) {
        Path file = root.lastStateFile(name);
        return Files.exists(file) ? Optional.of(LastStateXml.parse(read(file), file.toString())) : Optional.empty();
    }

    public void saveLastState(String name, StateReason reason) {
        write(root.lastStateFile(name), LastStateXml.format(reason));
    }

    public void deleteLastState(String name) {
        delete(root.lastStateFile(name));
    }

    /**
     * Deletes what writers killed mid-write left in the root's directories (their temp files; the targets still
     * hold the previous content). Call before anything else writes, when the driver opens.
     */
    public void removeStaleTemps() {
        for (Path dir : List.of(
                root.settingsFile().getParent(),
                root.configDir(),
                root.autostartDir(),
                root.libDir(),
                root.stateDir(),
                root.runDir())) {
            AtomicFiles.removeStaleTemps(dir);
        }
    }

    /**
     * Moves a file that cannot be loaded out of the loaders' way, beside it as {@code FILE.corrupt} (then
     * {@code FILE.corrupt.1}…), never deleting it: someone may repair it by hand.
     *
     * @return where the file went
     */
    public Path setAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        for (int i = 1; Files.exists(aside); i++) {
            aside = file.resolveSibling(file.getFileName() + ".corrupt." + i);
        }
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
            return aside;
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot move " + file + " aside: " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw VirtException.of(ErrorCode.READ_FAILED, ErrorDomain.QEMU, file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String content) {
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw VirtException.of(ErrorCode.WRITE_FAILED, ErrorDomain.QEMU, file + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            AtomicFiles.delete(file);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}

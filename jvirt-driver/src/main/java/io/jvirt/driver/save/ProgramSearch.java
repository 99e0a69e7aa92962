package io.jvirt.driver.save;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where compressor programs are looked up: an ordered list of directories, first match wins. The daemon uses
 * {@link #system()}; tests pass their own directories to play a host on which a compressor is not installed.
 * Immutable; any thread.
 */
public record ProgramSearch(List<Path> directories) {

    public ProgramSearch {
        directories = List.copyOf(directories);
    }

    /** {@code $PATH} in order, then {@code /usr/bin} and {@code /bin} in case the daemon runs with a bare PATH. */
    public static ProgramSearch system() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                addDirectory(dirs, entry);
            }
        }
        addDirectory(dirs, "/usr/bin");
        addDirectory(dirs, "/bin");
        return new ProgramSearch(dirs);
    }

    /** The first executable regular file called {@code program} in the search directories. */
    public Optional<Path> find(String program) {
        for (Path dir : directories) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void addDirectory(List<Path> dirs, String entry) {
        // An empty PATH entry means "current directory" to a shell; a daemon must not run programs from its cwd.
        if (entry.isEmpty()) {
            return;
        }
        try {
            Path dir = Path.of(entry);
            if (dir.isAbsolute() && !dirs.contains(dir)) {
                dirs.add(dir);
            }
        } catch (InvalidPathException ignored) {
            // A malformed PATH entry cannot hold a program; skip it.
        }
    }
}

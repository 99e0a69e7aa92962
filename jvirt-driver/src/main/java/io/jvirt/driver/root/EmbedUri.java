package io.jvirt.driver.root;

import io.jvirt.api.ConnectionUri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The URIs that open the QEMU driver inside this process, {@code qemu:///embed?root=DIR} as in libvirt's embedded
 * mode, and the root directory they name. A root is locked by the one process that opens it, so knowing that a URI
 * names a root this process already holds lets a caller say why opening it again cannot work.
 */
public final class EmbedUri {
    private EmbedUri() {}

    /** Whether {@code uri} is an embedded-driver URI (with or without its root). */
    public static boolean accepts(ConnectionUri uri) {
        return "qemu".equals(uri.driver())
                && uri.transport().isEmpty()
                && uri.host().isEmpty()
                && "/embed".equals(uri.path());
    }

    /** The root directory {@code uri} names; empty for any other URI, or text that is no URI at all. */
    public static Optional<Path> root(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        ConnectionUri parsed;
        try {
            parsed = ConnectionUri.parse(uri);
        } catch (RuntimeException e) {
            return Optional.empty(); // not ours to refuse: whoever opens it says what is wrong
        }
        String root = parsed.param("root");
        return accepts(parsed) && root != null && !root.isBlank() ? Optional.of(Path.of(root)) : Optional.empty();
    }

    /** Whether {@code a} and {@code b} name the same root directory, however each is spelled. */
    public static boolean sameRoot(String a, String b) {
        Optional<Path> first = root(a);
        Optional<Path> second = root(b);
        return first.isPresent() && second.isPresent() && sameDirectory(first.get(), second.get());
    }

    /** Whether {@code uri} names {@code root} itself. */
    public static boolean names(String uri, HostRoot root) {
        return root(uri).map(dir -> sameDirectory(dir, root.dir())).orElse(false);
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            // One of them does not exist (yet): compare the spellings.
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}

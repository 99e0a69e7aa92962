package io.jvirt.driver.root;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which root an embedded-driver URI names, and when two URIs (or a URI and a root) are the same root. */
class EmbedUriTest {
    @TempDir
    Path dir;

    @Test
    void onlyEmbeddedUrisWithARootNameOne() {
        assertThat(EmbedUri.root("qemu:///embed?root=/srv/a")).contains(Path.of("/srv/a"));
        assertThat(EmbedUri.root("qemu:///embed")).isEmpty();
        assertThat(EmbedUri.root("qemu:///system")).isEmpty();
        assertThat(EmbedUri.root("qemu+unix:///system?root=/srv/a")).isEmpty();
        assertThat(EmbedUri.root("qemu://host/embed?root=/srv/a")).isEmpty();
        assertThat(EmbedUri.root("::")).isEmpty();
        assertThat(EmbedUri.root(null)).isEmpty();
    }

    @Test
    void theSameDirectoryIsTheSameRootHoweverSpelled() throws Exception {
        HostRoot root = new HostRoot(dir.resolve("a")).create();
        String plain = "qemu:///embed?root=" + root.dir();
        assertThat(EmbedUri.names(plain, root)).isTrue();
        assertThat(EmbedUri.names("qemu:///embed?root=" + dir.resolve("a/../a/."), root))
                .isTrue();
        assertThat(EmbedUri.names("qemu:///embed?root=" + dir.resolve("b"), root))
                .isFalse();
        assertThat(EmbedUri.sameRoot(plain, "qemu:///embed?root=" + dir.resolve("./a")))
                .isTrue();
        assertThat(EmbedUri.sameRoot(plain, "qemu:///embed?root=" + dir.resolve("b")))
                .isFalse();
        assertThat(EmbedUri.sameRoot(plain, "qemu+ssh://elsewhere/system")).isFalse();
        // Not created yet: the spellings decide.
        assertThat(EmbedUri.sameRoot(
                        "qemu:///embed?root=" + dir.resolve("c"), "qemu:///embed?root=" + dir.resolve("x/../c")))
                .isTrue();
    }
}

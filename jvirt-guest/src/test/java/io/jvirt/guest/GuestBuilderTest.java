package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class GuestBuilderTest {
    @Test
    void theDefaultCacheIsTheEnvironmentsOrTheRepositorysWhenPassableOrShared() {
        Path cache = GuestBuilder.defaultCacheDir();
        String fromEnv = System.getenv(GuestBuilder.CACHE_DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            assertThat(cache).isEqualTo(Path.of(fromEnv).toAbsolutePath());
        } else if (Files.isRegularFile(Path.of("").toAbsolutePath().getParent().resolve("mvnw"))) {
            // Maven runs module tests in the module directory, one below the repository root.
            Path repo = Path.of("").toAbsolutePath().getParent();
            assertThat(cache)
                    .isEqualTo(
                            GuestBuilder.passable(repo) ? repo.resolve(".cache/guest") : GuestBuilder.SHARED_CACHE_DIR);
        } else {
            assertThat(cache.toString()).endsWith(".cache/jvirt/guest");
        }
    }

    @Test
    void aDirectoryClosedToOthersIsNotPassableBelowIt() throws Exception {
        Path closed = Files.createTempDirectory("closed-");
        try {
            Path open = Files.createDirectories(closed.resolve("open"));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertThat(GuestBuilder.passable(open)).isFalse();
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertThat(GuestBuilder.passable(open)).isEqualTo(GuestBuilder.passable(closed.getParent()));
        } finally {
            Files.deleteIfExists(closed.resolve("open"));
            Files.delete(closed);
        }
    }
}

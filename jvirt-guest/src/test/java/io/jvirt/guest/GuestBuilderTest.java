package io.jvirt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GuestBuilderTest {
    @Test
    void theDefaultCacheIsTheEnvironmentsOrTheRepositorysOrTheUsers() {
        Path cache = GuestBuilder.defaultCacheDir();
        String fromEnv = System.getenv(GuestBuilder.CACHE_DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            assertThat(cache).isEqualTo(Path.of(fromEnv).toAbsolutePath());
        } else if (Files.isRegularFile(Path.of("").toAbsolutePath().getParent().resolve("mvnw"))) {
            // Maven runs module tests in the module directory, one below the repository root.
            assertThat(cache).isEqualTo(Path.of("").toAbsolutePath().getParent().resolve(".cache/guest"));
        } else {
            assertThat(cache.toString()).endsWith(".cache/jvirt/guest");
        }
    }
}

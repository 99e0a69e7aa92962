package io.jvirt.driver.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootLockTest {
    @TempDir
    Path dir;

    @Test
    void secondOpenerIsRefusedNamingTheHolderUntilTheFirstReleases() throws Exception {
        HostRoot root = new HostRoot(dir);
        try (RootLock _ = RootLock.acquire(root)) {
            assertThat(Files.readString(root.lockFile()).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> RootLock.acquire(root)).isInstanceOfSatisfying(VirtException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_INVALID);
                assertThat(e.getMessage())
                        .contains("root " + dir.toAbsolutePath() + " is in use by pid "
                                + ProcessHandle.current().pid());
            });
        }
        try (RootLock again = RootLock.acquire(root)) {
            assertThat(again).isNotNull();
        }
    }
}

package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobType;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.driver.EmbeddedConnectionDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration aimed at the very root it runs on. This process holds that root, so opening it as the destination
 * would fail on the root's lock with "root … is in use by pid" and our own pid; both the client-driven path (before
 * it opens the destination) and peer-to-peer (before the source opens it) say libvirt's "Attempt to migrate guest
 * to the same host UUID" instead, as an internal error, and the guest runs on untouched.
 */
class SameRootMigrationTest {
    @TempDir
    Path dir;

    private StandInDriver guest;
    private Connection conn;

    @BeforeEach
    void open() throws Exception {
        guest = StandInDriver.open(dir, UUID.randomUUID(), monitor -> {});
        conn = guest.conn();
    }

    @AfterEach
    void close() throws Exception {
        guest.close();
    }

    @Test
    void peerToPeerToItsOwnRootIsRefusedAsTheSameHost() {
        for (String uri : List.of(
                "qemu:///embed?root=" + guest.root().dir(),
                "qemu:///embed?root=" + guest.root().dir().resolve("../root"))) {
            assertSameHost(() -> MigrationPhases.of(conn)
                    .migratePerform3(guest.ref(), uri, List.of(), null, MigrateFlags.PEER2PEER | MigrateFlags.LIVE));
            assertSameHost(() -> MigrationPhases.of(conn)
                    .migratePerform2(guest.ref(), uri, MigrateFlags.PEER2PEER | MigrateFlags.LIVE, null, 0));
        }
        assertThat(conn.state(guest.ref()).reason()).isEqualTo(StateReason.RUNNING_BOOTED);
        assertThat(conn.jobInfo(guest.ref()).type()).as("no job left behind").isEqualTo(JobType.NONE);
    }

    @Test
    void aClientDrivenMigrationToItsOwnRootIsRefusedBeforeTheDestinationIsOpened() {
        assertSameHost(() -> EmbeddedConnectionDriver.refuseMigrationToItself(
                conn, "qemu:///embed?root=" + guest.root().dir() + "/."));
        Consumer<String> passes =
                uri -> assertThatCode(() -> EmbeddedConnectionDriver.refuseMigrationToItself(conn, uri))
                        .as(uri)
                        .doesNotThrowAnyException();
        passes.accept("qemu:///embed?root=" + dir.resolve("elsewhere"));
        passes.accept("qemu+ssh://dst.example.org/system");
        passes.accept("qemu:///embed");
        passes.accept("not a uri");
    }

    private void assertSameHost(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(e.getMessage()).contains("Attempt to migrate guest to the same host " + conn.hostUuid());
            assertThat(e.getMessage()).doesNotContain("in use by pid");
        });
    }
}

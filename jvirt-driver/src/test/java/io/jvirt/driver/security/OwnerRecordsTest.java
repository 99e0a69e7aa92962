package io.jvirt.driver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's owner records on real files, in a directory of the test's own: a file shared by two guests keeps
 * the QEMU account until the second one ends, then gets its first owner back; a file only read that the account can
 * read is left alone. Changes owners, so it runs as root (as CI does).
 */
class OwnerRecordsTest {
    private static final QemuAccount ACCOUNT = new QemuAccount(4300, 4301, true);

    @TempDir
    Path dir;

    @Test
    void aSharedFileGoesBackAfterTheLastUse() throws IOException {
        OwnerRecords records = new OwnerRecords(dir.resolve("records"));
        Path disk = Files.createFile(dir.resolve("disk.raw"));
        chown(disk, 4242, 4243);

        assertThat(records.acquire(disk, ACCOUNT, false)).isTrue();
        assertThat(records.acquire(disk, ACCOUNT, false)).isTrue();
        assertThat(owner(disk)).isEqualTo("4300:4301");
        assertThat(records.refs(disk)).isEqualTo(2);

        records.release(disk);
        assertThat(owner(disk)).isEqualTo("4300:4301");
        records.release(disk);
        assertThat(owner(disk)).isEqualTo("4242:4243");
        assertThat(records.refs(disk)).isZero();
        records.release(disk);
        assertThat(owner(disk)).as("a release too many changes nothing").isEqualTo("4242:4243");
    }

    @Test
    void aReadOnlyFileIsTakenOnlyWhenTheAccountCannotReadIt() throws IOException {
        OwnerRecords records = new OwnerRecords(dir.resolve("records"));
        Path readable = Files.createFile(dir.resolve("kernel"));
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Path secret = Files.createFile(dir.resolve("backing.qcow2"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        assertThat(records.acquire(readable, ACCOUNT, true)).isFalse();
        assertThat(owner(readable)).isEqualTo("0:0");
        assertThat(records.acquire(secret, ACCOUNT, true)).isTrue();
        assertThat(owner(secret)).isEqualTo("4300:4301");
        records.release(secret);
        assertThat(owner(secret)).isEqualTo("0:0");
    }

    private static void chown(Path file, int uid, int gid) throws IOException {
        Files.setAttribute(file, "unix:uid", uid);
        Files.setAttribute(file, "unix:gid", gid);
    }

    private static String owner(Path file) throws IOException {
        return Files.getAttribute(file, "unix:uid") + ":" + Files.getAttribute(file, "unix:gid");
    }
}

package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.DumpFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.SaveFlags;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.api.XmlFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save, restore, save-image-*, managedsave, managedsave-remove, dump: arguments passed on, messages, errors. */
class SaveRestoreCommandsTest {
    private static final UUID G1 = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private final FakeConnection connection = new FakeConnection();

    @TempDir
    Path dir;

    private FakeConnection.Call onlyCall() {
        assertThat(connection.calls).hasSize(1);
        return connection.calls.getFirst();
    }

    @Test
    void saveWithoutOptions() {
        connection.addRunning("g1", G1, 3);

        CliRun run = CliRun.of(connection, "save", "g1", "/srv/g1.img");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("\nDomain 'g1' saved to /srv/g1.img\n\n");
        assertThat(run.err()).isEmpty();
        assertThat(onlyCall()).isEqualTo(new FakeConnection.Call("save", "g1", "/srv/g1.img", null, null, 0));
        assertThat(connection.domain("g1").reason).isEqualTo(StateReason.SHUTOFF_SAVED);
    }

    @Test
    void saveWithEveryOptionPassesFlagsXmlAndFormat() throws IOException {
        connection.addRunning("g1", G1, 3);
        Path xml = dir.resolve("new.xml");
        Files.writeString(xml, "<domain><name>g1</name></domain>");

        CliRun run = CliRun.of(
                connection,
                "save",
                "--domain",
                "3",
                "--file",
                "/srv/x.img",
                "--bypass-cache",
                "--xml",
                xml.toString(),
                "--paused",
                "--image-format",
                "zstd");

        assertThat(run.out()).isEqualTo("\nDomain '3' saved to /srv/x.img\n\n");
        assertThat(onlyCall())
                .isEqualTo(new FakeConnection.Call(
                        "save",
                        "g1",
                        "/srv/x.img",
                        "<domain><name>g1</name></domain>",
                        "zstd",
                        SaveFlags.BYPASS_CACHE | SaveFlags.PAUSED));
    }

    @Test
    void saveRunningAndPausedAreBothPassedForTheDriverToRefuse() {
        connection.addRunning("g1", G1, 3);

        CliRun.of(connection, "save", "g1", "/srv/x.img", "--running", "--paused");

        assertThat(onlyCall().flags()).isEqualTo(SaveFlags.RUNNING | SaveFlags.PAUSED);
    }

    @Test
    void saveFailurePrintsVirshHeadlineThenTheApiError() {
        connection.addRunning("g1", G1, 3);
        connection.jobFailure =
                VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");

        CliRun run = CliRun.of(connection, "save", "g1", "/srv/x.img");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("""
                error: Failed to save domain 'g1' to /srv/x.img
                error: Requested operation is not valid: domain is not running
                """);
        assertThat(run.out()).isEqualTo("\n");
    }

    @Test
    void saveOfAnUnknownDomainAndWithoutFile() {
        CliRun unknown = CliRun.of(connection, "save", "nope", "/srv/x.img");
        CliRun noFile = CliRun.of(connection, "save", "nope");

        assertThat(unknown.err()).isEqualTo("error: failed to get domain 'nope'\n");
        assertThat(noFile.status()).isEqualTo(1);
        assertThat(noFile.err()).isEqualTo("error: command 'save' requires <file> option\n");
        assertThat(connection.calls).isEmpty();
    }

    @Test
    void saveWithMissingXmlFileFailsBeforeSaving() {
        connection.addRunning("g1", G1, 3);

        CliRun run = CliRun.of(
                connection,
                "save",
                "g1",
                "/srv/x.img",
                "--xml",
                dir.resolve("none.xml").toString());

        assertThat(run.err())
                .isEqualTo("error: Failed to open file '" + dir.resolve("none.xml") + "': No such file or directory\n");
        assertThat(connection.calls).isEmpty();
    }

    @Test
    void restorePassesFlagsAndReportsTheFile() {
        connection.add("g1", G1);

        CliRun run = CliRun.of(connection, "restore", "/srv/g1.img", "--running", "--bypass-cache", "--reset-nvram");

        assertThat(run.out()).isEqualTo("Domain restored from /srv/g1.img\n\n");
        assertThat(onlyCall())
                .isEqualTo(new FakeConnection.Call(
                        "restore",
                        null,
                        "/srv/g1.img",
                        null,
                        null,
                        SaveFlags.RUNNING | SaveFlags.BYPASS_CACHE | SaveFlags.RESET_NVRAM));
    }

    @Test
    void restoreFailure() {
        connection.jobFailure = VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.QEMU,
                "cannot read domain image '/nonexist': No such file or directory");

        CliRun run = CliRun.of(connection, "restore", "/nonexist");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("""
                error: Failed to restore domain from /nonexist
                error: cannot read domain image '/nonexist': No such file or directory
                """);
    }

    @Test
    void saveImageDumpXmlPrintsTheImagesXml() {
        CliRun run = CliRun.of(connection, "save-image-dumpxml", "/srv/g1.img", "--security-info");

        assertThat(run.out()).isEqualTo(connection.imageXml + "\n");
        assertThat(onlyCall())
                .isEqualTo(new FakeConnection.Call("saveImageXml", null, "/srv/g1.img", null, null, XmlFlags.SECURE));
    }

    @Test
    void saveImageDumpXmlFailureIsTheApiErrorAlone() {
        connection.jobFailure = VirtException.of(
                ErrorCode.SYSTEM_ERROR,
                ErrorDomain.QEMU,
                "cannot read domain image '/none': No such file or directory");

        CliRun run = CliRun.of(connection, "save-image-dumpxml", "/none");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: cannot read domain image '/none': No such file or directory\n");
        assertThat(run.out()).isEqualTo("\n");
    }

    @Test
    void saveImageDefineReadsTheXmlFileAndPassesState() throws IOException {
        Path xml = dir.resolve("g1.xml");
        Files.writeString(xml, "<domain><name>g1</name></domain>");

        CliRun run = CliRun.of(connection, "save-image-define", "/srv/g1.img", xml.toString(), "--running");

        assertThat(run.out()).isEqualTo("State file /srv/g1.img updated.\n\n");
        assertThat(onlyCall())
                .isEqualTo(new FakeConnection.Call(
                        "saveImageDefineXml",
                        null,
                        "/srv/g1.img",
                        "<domain><name>g1</name></domain>",
                        null,
                        SaveFlags.RUNNING));
    }

    @Test
    void saveImageDefineFailureAndMissingXmlArgument() throws IOException {
        Path xml = dir.resolve("g1.xml");
        Files.writeString(xml, "not xml");
        connection.jobFailure = VirtException.of(ErrorCode.XML_ERROR, ErrorDomain.XML, "bad");

        CliRun failed = CliRun.of(connection, "save-image-define", "/srv/g1.img", xml.toString());
        CliRun missing = CliRun.of(connection, "save-image-define", "/srv/g1.img");

        assertThat(failed.err()).isEqualTo("error: Failed to update /srv/g1.img\nerror: XML error: bad\n");
        assertThat(missing.err()).isEqualTo("error: command 'save-image-define' requires <xml> option\n");
    }

    @Test
    void managedSaveThenDomInfoShowsTheImageThenRemoveIt() {
        connection.addRunning("g1", G1, 3);

        CliRun save = CliRun.of(connection, "managedsave", "g1", "--bypass-cache", "--paused");

        assertThat(save.out()).isEqualTo("\nDomain 'g1' state saved by libvirt\n\n");
        assertThat(onlyCall())
                .isEqualTo(new FakeConnection.Call(
                        "managedSave", "g1", null, null, null, SaveFlags.BYPASS_CACHE | SaveFlags.PAUSED));
        assertThat(CliRun.of(connection, "dominfo", "g1").out()).contains("Managed save:   yes\n");
        assertThat(CliRun.of(connection, "managedsave-remove", "g1").out())
                .isEqualTo("Removed managedsave image for domain 'g1'\n");
        assertThat(CliRun.of(connection, "dominfo", "g1").out()).contains("Managed save:   no\n");
        assertThat(CliRun.of(connection, "managedsave-remove", "g1").out())
                .isEqualTo("Domain 'g1' has no manage save image; removal skipped\n");
        assertThat(CliRun.of(connection, "-q", "managedsave-remove", "g1").out())
                .isEmpty();
    }

    @Test
    void managedSaveFailure() {
        connection.addRunning("g1", G1, 3);
        connection.jobFailure =
                VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");

        CliRun run = CliRun.of(connection, "managedsave", "g1");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("""
                error: Failed to save domain 'g1' state
                error: Requested operation is not valid: domain is not running
                """);
    }

    @Test
    void managedSaveRemoveFailure() {
        connection.add("g1", G1).managedSave = true;
        connection.jobFailure = VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "busy");

        CliRun run = CliRun.of(connection, "managedsave-remove", "g1");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("""
                error: Failed to remove managed save image for domain 'g1'
                error: operation failed: busy
                """);
    }

    @Test
    void dumpPassesFlagsAndFormat() {
        connection.addRunning("g1", G1, 3);

        CliRun run = CliRun.of(
                connection,
                "dump",
                "g1",
                "/srv/core",
                "--live",
                "--bypass-cache",
                "--reset",
                "--memory-only",
                "--format",
                "kdump-lzo");

        assertThat(run.out()).isEqualTo("\nDomain 'g1' dumped to /srv/core\n\n");
        assertThat(onlyCall())
                .isEqualTo(new FakeConnection.Call(
                        "coreDump",
                        "g1",
                        "/srv/core",
                        null,
                        DumpFlags.FORMAT_KDUMP_LZO,
                        DumpFlags.LIVE | DumpFlags.BYPASS_CACHE | DumpFlags.RESET | DumpFlags.MEMORY_ONLY));
    }

    @Test
    void dumpFormatNames() {
        connection.addRunning("g1", G1, 3);
        String[] names = {"elf", "kdump-zlib", "kdump-lzo", "kdump-snappy", "win-dmp"};
        int[] wire = {
            DumpFlags.FORMAT_RAW,
            DumpFlags.FORMAT_KDUMP_ZLIB,
            DumpFlags.FORMAT_KDUMP_LZO,
            DumpFlags.FORMAT_KDUMP_SNAPPY,
            DumpFlags.FORMAT_WIN_DMP
        };
        for (int i = 0; i < names.length; i++) {
            CliRun.of(connection, "dump", "g1", "/srv/core", "--memory-only", "--format", names[i]);
            assertThat(connection.calls.getLast().extra()).as(names[i]).isEqualTo(wire[i]);
        }
        CliRun.of(connection, "dump", "g1", "/srv/core", "--crash");
        assertThat(connection.calls.getLast())
                .isEqualTo(new FakeConnection.Call(
                        "coreDump", "g1", "/srv/core", null, DumpFlags.FORMAT_RAW, DumpFlags.CRASH));
    }

    @Test
    void dumpFormatNeedsMemoryOnlyAndAKnownName() {
        connection.addRunning("g1", G1, 3);

        CliRun noMemoryOnly = CliRun.of(connection, "dump", "g1", "/srv/core", "--format", "elf");
        CliRun unknown = CliRun.of(connection, "dump", "g1", "/srv/core", "--memory-only", "--format", "foo");

        assertThat(noMemoryOnly.status()).isEqualTo(1);
        assertThat(noMemoryOnly.err()).isEqualTo("error: --format only works with --memory-only\n");
        assertThat(unknown.err())
                .isEqualTo("error: format 'foo' is not supported, expecting "
                        + "'kdump-zlib', 'kdump-lzo', 'kdump-snappy', 'win-dmp' or 'elf'\n");
        assertThat(connection.calls).isEmpty();
    }

    @Test
    void dumpFailure() {
        connection.addRunning("g1", G1, 3);
        connection.jobFailure = VirtException.of(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, "virDomainCoreDumpWithFormat");

        CliRun run = CliRun.of(connection, "dump", "g1", "/srv/core");

        assertThat(run.err()).isEqualTo("""
                error: Failed to core dump domain 'g1' to /srv/core
                error: this function is not supported by the connection driver: virDomainCoreDumpWithFormat
                """);
    }
}

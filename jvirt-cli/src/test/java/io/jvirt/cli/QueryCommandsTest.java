package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.StateReason;
import io.jvirt.api.XmlFlags;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Output of the read-only commands, compared with what virsh 11.3 prints for the same data. */
class QueryCommandsTest {
    static final UUID TEST_UUID = UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f");
    static final UUID G1_UUID = UUID.fromString("20fc6db7-d0f8-4a96-8fd7-7a2d6e36ce75");
    private final FakeConnection connection = new FakeConnection();

    @BeforeEach
    void testDriverDomains() {
        // The same domains `virsh -c test:///default` shows after `define g1.xml`.
        FakeConnection.Domain test = connection.addRunning("test", TEST_UUID, 1);
        test.vcpus = 2;
        test.maxMemKiB = 8388608;
        test.memoryKiB = 2097152;
        test.cpuTimeNs = 1_795_641_276_400_000_000L;
        FakeConnection.Domain g1 = connection.add("g1", G1_UUID);
        g1.vcpus = 2;
        g1.maxMemKiB = 8388608;
        g1.memoryKiB = 2097152;
    }

    @Test
    void listAllShowsRunningThenInactiveInVirshTable() {
        CliRun run = CliRun.of(connection, "list", "--all");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("""
                 Id   Name   State
                -----------------------
                 1    test   running
                 -    g1     shut off

                """);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void listSortsActiveByIdAndInactiveByNameIgnoringCase() {
        connection.addRunning("zz", UUID.randomUUID(), 12);
        connection.addRunning("aa", UUID.randomUUID(), 4);
        connection.add("Alpha", UUID.randomUUID());

        CliRun run = CliRun.of(connection, "list", "--all", "--name");

        assertThat(run.out()).isEqualTo("test\naa\nzz\nAlpha\ng1\n\n");
    }

    @Test
    void listWithoutAllShowsOnlyRunningDomains() {
        assertThat(CliRun.of(connection, "list").out()).isEqualTo("""
                 Id   Name   State
                ----------------------
                 1    test   running

                """);
        assertThat(CliRun.of(connection, "list", "--inactive", "--name").out()).isEqualTo("g1\n\n");
    }

    @Test
    void listUuidAndNameTogetherPrintsBothOnOneLine() {
        assertThat(CliRun.of(connection, "list", "--uuid", "--name").out()).isEqualTo(TEST_UUID + " test\n\n");
        assertThat(CliRun.of(connection, "list", "--all", "--id").out()).isEqualTo("1\n\n");
    }

    @Test
    void quietListHasNoHeaderAndNoTrailingLine() {
        assertThat(CliRun.of(connection, "-q", "list").out()).isEqualTo(" 1   test   running\n");
    }

    @Test
    void tableAndNameTogetherIsAUsageError() {
        CliRun run = CliRun.of(connection, "list", "--table", "--name");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: Options --table and --name are mutually exclusive\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void dominfoOfRunningDomainHasVirshFieldsInVirshOrder() {
        CliRun run = CliRun.of(connection, "dominfo", "test");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("""
                Id:             1
                Name:           test
                UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f
                OS Type:        hvm
                State:          running
                CPU(s):         2
                CPU time:       1795641276.4s
                Max memory:     8388608 KiB
                Used memory:    2097152 KiB
                Persistent:     yes
                Autostart:      disable
                Managed save:   no
                Security model: none
                Security DOI:   0

                """);
    }

    @Test
    void dominfoOfInactiveDomainHasDashIdAndNoCpuTime() {
        connection.domain("g1").autostart = true;

        CliRun run = CliRun.of(connection, "dominfo", "g1");

        assertThat(run.out())
                .startsWith("Id:             -\nName:           g1\n")
                .contains("State:          shut off\nCPU(s):         2\nMax memory:     8388608 KiB\n")
                .contains("Autostart:      enable\n")
                .doesNotContain("CPU time");
    }

    @Test
    void domstatePrintsStateAndOptionallyTheReason() {
        connection.domain("test").reason = StateReason.PAUSED_MIGRATION;

        assertThat(CliRun.of(connection, "domstate", "test").out()).isEqualTo("paused\n\n");
        assertThat(CliRun.of(connection, "domstate", "--reason", "test").out()).isEqualTo("paused (migrating)\n\n");
        assertThat(CliRun.of(connection, "domstate", "--reason", "g1").out()).isEqualTo("shut off (unknown)\n\n");
    }

    @Test
    void dumpxmlPassesFlagsAndEndsWithOneNewlinePlusVirshSeparator() {
        connection.domain("g1").xml = "<domain><name>g1</name></domain>";

        CliRun run = CliRun.of(connection, "dumpxml", "--inactive", "--migratable", "--security-info", "g1");

        assertThat(run.out()).isEqualTo("<domain><name>g1</name></domain>\n\n");
        assertThat(connection.lastXmlFlags).isEqualTo(XmlFlags.INACTIVE | XmlFlags.MIGRATABLE | XmlFlags.SECURE);
    }

    @Test
    void versionNamesJvirtQemuAndTheHypervisorVersion() {
        CliRun run = CliRun.of(connection, "version");

        assertThat(run.out()).matches("""
                Compiled against library: jvirt \\S+
                Using library: jvirt 0\\.1\\.0
                Using API: QEMU 0\\.1\\.0
                Running hypervisor: QEMU 10\\.0\\.2

                """);
    }

    @Test
    void uriAndHostnameComeFromTheConnection() {
        assertThat(CliRun.of(connection, "uri").out()).isEqualTo("qemu:///embed?root=/tmp/fake\n\n");
        assertThat(CliRun.of(connection, "hostname").out()).isEqualTo("fakehost\n\n");
    }

    @Test
    void theConnectionIsClosedAfterTheCommand() {
        CliRun.of(connection, "list");

        assertThat(connection.closed).isTrue();
    }
}

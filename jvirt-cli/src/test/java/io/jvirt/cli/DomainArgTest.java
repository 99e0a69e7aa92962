package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DomainArgTest {
    private static final UUID WEB_UUID = UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f");
    private final FakeConnection connection = new FakeConnection();

    @BeforeEach
    void domains() {
        connection.addRunning("web", WEB_UUID, 3);
        connection.add("7", UUID.fromString("11111111-2222-3333-4444-555555555555"));
    }

    @Test
    void numberIsTriedAsIdFirst() {
        CliRun run = CliRun.of(connection, "domname", "3");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("web\n\n");
    }

    @Test
    void numberThatIsNoRunningIdFallsBackToName() {
        CliRun run = CliRun.of(connection, "domuuid", "7");

        assertThat(run.out()).isEqualTo("11111111-2222-3333-4444-555555555555\n\n");
    }

    @Test
    void uuidAndNameBothFindTheDomain() {
        assertThat(CliRun.of(connection, "domid", WEB_UUID.toString()).out()).isEqualTo("3\n\n");
        assertThat(CliRun.of(connection, "domid", "web").out()).isEqualTo("3\n\n");
        assertThat(CliRun.of(connection, "domid", "--domain", "web").out()).isEqualTo("3\n\n");
    }

    @Test
    void inactiveDomainHasDashForId() {
        assertThat(CliRun.of(connection, "domid", "7").out()).isEqualTo("-\n\n");
    }

    @Test
    void unknownDomainFailsAsVirshDoes() {
        CliRun run = CliRun.of(connection, "dominfo", "nope");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: failed to get domain 'nope'\n");
        assertThat(run.out()).isEqualTo("\n");
    }

    @Test
    void domnameDoesNotAcceptAName() {
        CliRun run = CliRun.of(connection, "domname", "web");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: failed to get domain 'web'\n");
    }

    @Test
    void startDoesNotAcceptAnId() {
        connection.add("idle", UUID.randomUUID());
        CliRun run = CliRun.of(connection, "start", "3");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: failed to get domain '3'\n");
    }
}

package io.jvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.AbortJobFlags;
import io.jvirt.api.MigrateSpeedFlags;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** migrate-setspeed/-getspeed, migrate-setmaxdowntime/-getmaxdowntime, migrate-postcopy, domjobabort --postcopy. */
class MigrateTuningCommandsTest {
    private final FakeConnection connection = new FakeConnection();

    MigrateTuningCommandsTest() {
        connection.addRunning("g1", UUID.fromString("11111111-2222-3333-4444-555555555555"), 3);
    }

    private FakeConnection.Call lastCall() {
        return connection.calls.getLast();
    }

    @Test
    void setSpeedPassesMibPerSecondAndThePostcopyFlag() {
        assertThat(CliRun.of(connection, "migrate-setspeed", "g1", "100").out()).isEqualTo("\n");
        assertThat(lastCall())
                .isEqualTo(new FakeConnection.Call("virDomainMigrateSetMaxSpeed", "g1", null, null, 100L, 0));

        CliRun.of(connection, "migrate-setspeed", "--domain", "3", "--bandwidth", "40", "--postcopy");
        assertThat(lastCall().extra()).isEqualTo(40L);
        assertThat(lastCall().flags()).isEqualTo(MigrateSpeedFlags.POSTCOPY);
    }

    @Test
    void setSpeedMinusOneWrapsToTheLargestAsVirshDoes() {
        CliRun.of(connection, "migrate-setspeed", "g1", "-1");

        assertThat(Long.toUnsignedString((Long) lastCall().extra())).isEqualTo("18446744073709551615");
    }

    @Test
    void getSpeedPrintsTheNumber() {
        connection.maxSpeed = 8_796_093_022_207L;
        connection.maxPostcopySpeed = 250;

        assertThat(CliRun.of(connection, "migrate-getspeed", "g1").out()).isEqualTo("8796093022207\n\n");
        assertThat(CliRun.of(connection, "migrate-getspeed", "g1", "--postcopy").out())
                .isEqualTo("250\n\n");
        assertThat(lastCall().flags()).isEqualTo(MigrateSpeedFlags.POSTCOPY);
    }

    @Test
    void maxDowntimeRoundTrip() {
        assertThat(CliRun.of(connection, "migrate-setmaxdowntime", "g1", "500").status())
                .isZero();
        assertThat(lastCall().extra()).isEqualTo(500L);

        assertThat(CliRun.of(connection, "migrate-getmaxdowntime", "g1").out()).isEqualTo("500\n\n");
    }

    @Test
    void zeroDowntimeIsRefusedBeforeTheDriverSeesIt() {
        CliRun run = CliRun.of(connection, "migrate-setmaxdowntime", "g1", "0");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: migrate: Invalid downtime\n");
        assertThat(connection.calls).isEmpty();
    }

    @Test
    void badNumbersAreReportedWithTheOptionsName() {
        assertThat(CliRun.of(connection, "migrate-setspeed", "g1", "1e3").err())
                .isEqualTo("error: Numeric value '1e3' for <bandwidth> option is malformed or out of range\n");
        assertThat(CliRun.of(connection, "migrate-setmaxdowntime", "g1", "-5").err())
                .isEqualTo("error: Numeric value '-5' for <downtime> option is malformed or out of range\n");
        assertThat(connection.calls).isEmpty();
    }

    @Test
    void postCopySwitch() {
        assertThat(CliRun.of(connection, "migrate-postcopy", "g1").out()).isEqualTo("\n");

        assertThat(lastCall())
                .isEqualTo(new FakeConnection.Call("virDomainMigrateStartPostCopy", "g1", null, null, null, 0));
    }

    @Test
    void domJobAbortPostcopyPassesTheFlag() {
        CliRun.of(connection, "domjobabort", "g1", "--postcopy");

        assertThat(lastCall())
                .isEqualTo(new FakeConnection.Call("abortJob", "g1", null, null, null, AbortJobFlags.POSTCOPY));
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.api.StateReason;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.SerialLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two jvirtd processes with {@code metrics_listen} on a loopback port (the OS picks it) and libvirt-style logging:
 * a guest booted on A, a few calls, a live peer-to-peer migration to B; then A's {@code /metrics} shows the calls
 * by procedure, the domains by state and the migration as p2p/completed with its downtime and bytes, B's shows it
 * as incoming, and A's log file has one line per migration phase naming the domain, the peer and the time taken.
 * The guest then goes back client-managed (virsh drives both) and to B again tunnelled, each counted by its mode.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MetricsIT {
    private static final Pattern METRICS_URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/metrics)");
    private static final String NAME = "mg";

    private TwoDaemons hosts;

    @AfterEach
    void cleanUp() throws Exception {
        hosts.close();
    }

    @Test
    void countersAndLabelsAfterAGuestAndAMigration() throws Exception {
        hosts = TwoDaemons.none("jvirtd-metrics-");
        Path logFile = hosts.base.resolve("a-jvirtd.log");
        URI metricsA = start(
                "A", "log_level = 3\nlog_filters = \"2:qemu_migration\"\nlog_outputs = \"2:file:" + logFile + "\"\n");
        URI metricsB = start("B", "");
        VirshHost a = hosts.processHost("A");
        VirshHost b = hosts.processHost("B");

        String before = scrape(metricsA);
        assertThat(before).contains("jvirt_domains{state=\"running\"} 0.0", "jvirt_qemu_processes 0.0");

        long t0 = System.nanoTime();
        SerialLog serial = hosts.boot(a, NAME, g -> g.memoryMiB(256).fillMiB(64));
        System.out.printf("[it] boot %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
        assertThat(a.virsh().run("dominfo", NAME).exit()).isZero();
        String running = scrape(metricsA);
        assertThat(running)
                .contains(
                        "jvirt_domains{state=\"running\"} 1.0",
                        "jvirt_qemu_processes 1.0",
                        "jvirt_migrations_in_flight{mode=\"p2p\"} 0.0")
                .containsPattern("jvirt_clients_connected [1-9]")
                .containsPattern("jvirt_rpc_calls_seconds_count\\{outcome=\"ok\",procedure=\"DOMAIN_GET_INFO\"} [1-9]")
                .containsPattern("jvirt_rpc_calls_seconds_count\\{outcome=\"ok\",procedure=\"CONNECT_OPEN\"} [1-9]");
        assertThat(a.virsh().run("dominfo", "nosuch").exit()).isNotZero();
        assertThat(scrape(metricsA))
                .containsPattern(
                        "jvirt_rpc_calls_seconds_count\\{outcome=\"error\",procedure=\"DOMAIN_LOOKUP_BY_NAME\"} [1-9]");

        t0 = System.nanoTime();
        GuestIntegrity whole = GuestIntegrity.before(serial, NAME, a.guest());
        Virsh.Result r = a.virsh().run("migrate", "--live", "--p2p", NAME, b.uri());
        assertThat(r.exit()).as(r.err()).isZero();
        System.out.printf("[it] migrate %s: %.2f s%n", NAME, (System.nanoTime() - t0) / 1e9);
        whole.assertMovedTo(b.guest(), StateReason.RUNNING_MIGRATED).andOn(a.guest(), StateReason.SHUTOFF_MIGRATED);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(scrape(metricsA))
                        .contains(
                                "jvirt_migrations_total{mode=\"p2p\",outcome=\"completed\"} 1.0",
                                "jvirt_migration_duration_seconds_count{mode=\"p2p\",outcome=\"completed\"} 1",
                                "jvirt_migration_downtime_seconds_count{mode=\"p2p\"} 1",
                                "jvirt_migration_transferred_bytes_count{mode=\"p2p\"} 1",
                                "jvirt_migrations_in_flight{mode=\"p2p\"} 0.0",
                                "jvirt_domains{state=\"running\"} 0.0")
                        .containsPattern("jvirt_migration_transferred_bytes_sum\\{mode=\"p2p\"} [1-9]"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(scrape(metricsB))
                        .contains(
                                "jvirt_migrations_total{mode=\"incoming\",outcome=\"completed\"} 1.0",
                                "jvirt_migration_downtime_seconds_count{mode=\"incoming\"} 1",
                                "jvirt_migrations_in_flight{mode=\"incoming\"} 0.0",
                                "jvirt_domains{state=\"running\"} 1.0"));
        String scraped = scrape(metricsA);
        System.out.println("[it] A's migration meters:");
        scraped.lines().filter(l -> l.startsWith("jvirt_migration")).forEach(l -> System.out.println("[it]   " + l));

        String log = Files.readString(logFile);
        assertThat(log)
                .containsPattern(": info : io\\.jvirt\\.daemon\\.migration: migration of " + NAME
                        + ": perform3_params peer=" + Pattern.quote(b.uri()) + " took \\d+ ms, ok")
                .containsPattern("migration of " + NAME + " \\(p2p\\) completed after \\d+ ms")
                .containsPattern(": info : io\\.jvirt\\.driver\\.migration\\.PhaseRecorder: migration of " + NAME
                        + ": phase begin3 -> perform3, \\d+ ms into the job")
                .doesNotContain(": info : io.jvirt.daemon.Daemon"); // log_level 3 keeps other INFO lines out

        // Back to A driven by virsh (Begin3 ... Confirm3 on B), then to B again tunnelled.
        whole = GuestIntegrity.before(serial, NAME, b.guest());
        r = b.virsh().run("migrate", "--live", NAME, a.uri());
        assertThat(r.exit()).as(r.err()).isZero();
        whole.assertMovedTo(a.guest(), StateReason.RUNNING_MIGRATED).andGoneFrom(b.guest());
        whole = GuestIntegrity.before(serial, NAME, a.guest());
        r = a.virsh().run("migrate", "--live", "--p2p", "--tunnelled", NAME, b.uri());
        assertThat(r.exit()).as(r.err()).isZero();
        whole.assertMovedTo(b.guest(), StateReason.RUNNING_MIGRATED).andOn(a.guest(), StateReason.SHUTOFF_MIGRATED);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(scrape(metricsB))
                        .contains(
                                "jvirt_migrations_total{mode=\"client-managed\",outcome=\"completed\"} 1.0",
                                "jvirt_migration_downtime_seconds_count{mode=\"client-managed\"} 1",
                                "jvirt_migrations_total{mode=\"incoming\",outcome=\"completed\"} 2.0",
                                "jvirt_migrations_in_flight{mode=\"client-managed\"} 0.0"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(scrape(metricsA))
                        .contains(
                                "jvirt_migrations_total{mode=\"incoming\",outcome=\"completed\"} 1.0",
                                "jvirt_migrations_total{mode=\"tunnelled\",outcome=\"completed\"} 1.0",
                                "jvirt_migration_transferred_bytes_count{mode=\"tunnelled\"} 1",
                                "jvirt_migrations_in_flight{mode=\"tunnelled\"} 0.0"));

        assertThat(b.virsh().run("destroy", NAME).exit()).isZero();
    }

    /** Starts jvirtd LABEL as a process with metrics on a free loopback port and {@code extra} settings. */
    private URI start(String label, String extra) throws Exception {
        Path conf = hosts.base.resolve(label + "-jvirtd.conf");
        Files.writeString(conf, "metrics_listen = \"127.0.0.1:0\"\n" + extra);
        Path notify = hosts.base.resolve(label + "-ready");
        hosts.startProcess(label, true, Map.of("NOTIFY_FILE", notify.toString()), "--config", conf.toString());
        Matcher m = METRICS_URL.matcher(Files.readString(notify));
        assertThat(m.find())
                .as("metrics address in " + Files.readString(notify))
                .isTrue();
        return URI.create(m.group(1));
    }

    private static String scrape(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            return r.body();
        }
    }
}

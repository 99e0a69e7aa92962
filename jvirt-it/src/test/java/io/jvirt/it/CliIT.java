package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvirt.guest.GuestTick;
import io.jvirt.guest.SerialLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The shaded {@code jvirt.jar} as a user runs it, one process per command against an embedded host: each call
 * takes the root's lock, reconnects to the running guest, and lets go on exit, while the guest keeps running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@org.junit.jupiter.api.extension.ExtendWith(NoStrayQemu.class)
class CliIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "cli1";

    private TestHost host;
    private Path xml;

    @BeforeAll
    void setUp() throws Exception {
        assertThat(JvirtJar.JAR).exists();
        host = new TestHost("cli");
        xml = host.root().resolve(GUEST + ".xml");
        Files.writeString(xml, host.guest(GUEST).toXml());
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        try (io.jvirt.api.Connection c = host.open()) {
            host.assertNoStrayQemu(c);
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        jvirt("destroy", GUEST);
        host.close();
    }

    private JvirtJar.Result jvirt(String... args) throws IOException, InterruptedException {
        return JvirtJar.run(host, args);
    }

    @Test
    @Order(1)
    void defineStartAndQueryLikeVirsh() throws Exception {
        JvirtJar.Result define = jvirt("define", xml.toString());
        assertThat(define.exit()).as(define.err()).isZero();
        assertThat(define.out()).contains("Domain '" + GUEST + "' defined from " + xml);

        JvirtJar.Result start = jvirt("start", GUEST);
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).contains("Domain '" + GUEST + "' started");

        SerialLog serial = host.serial(GUEST);
        GuestTick first = serial.awaitTickAfter(-1, TestHost.BOOT);

        JvirtJar.Result state = jvirt("domstate", "--reason", GUEST);
        assertThat(state.out().strip()).isEqualTo("running (booted)");
        JvirtJar.Result list = jvirt("list", "--all");
        assertThat(list.out()).containsPattern("\\s1\\s+" + GUEST + "\\s+running");
        JvirtJar.Result info = jvirt("dominfo", GUEST);
        assertThat(info.out())
                .contains("State:          running")
                .contains("Persistent:     yes")
                .contains("Max memory:     262144 KiB");
        // The guest kept running across those separate processes.
        assertThat(serial.awaitTickAfter(first.tick() + 1, TestHost.BOOT).patternOk())
                .isTrue();
    }

    @Test
    @Order(2)
    void rebootAskedByAnExitedCliIsCarriedOutByTheNextOne() throws Exception {
        SerialLog serial = host.serial(GUEST);
        int boots = serial.boots();
        assertThat(jvirt("reboot", GUEST).out()).contains("Domain '" + GUEST + "' is being rebooted");
        // The CLI that asked is gone when the guest powers off; the reboot request waits in the status file and
        // the next command's driver resets and continues the guest.
        await().atMost(TestHost.BOOT).until(() -> {
            jvirt("domstate", GUEST);
            return serial.boots() > boots;
        });
        assertThat(serial.awaitTickAfter(-1, TestHost.BOOT).patternOk()).isTrue();
        assertThat(jvirt("domstate", "--reason", GUEST).out().strip()).isEqualTo("running (booted)");
    }

    @Test
    @Order(3)
    void suspendResumeAndDestroyShowVirshStates() throws Exception {
        assertThat(jvirt("suspend", GUEST).out()).contains("Domain '" + GUEST + "' suspended");
        assertThat(jvirt("domstate", "--reason", GUEST).out().strip()).isEqualTo("paused (user)");
        assertThat(jvirt("resume", GUEST).out()).contains("Domain '" + GUEST + "' resumed");
        assertThat(jvirt("domstate", "--reason", GUEST).out().strip()).isEqualTo("running (unpaused)");
        assertThat(jvirt("destroy", GUEST).out()).contains("Domain '" + GUEST + "' destroyed");
        assertThat(jvirt("domstate", "--reason", GUEST).out().strip()).isEqualTo("shut off (destroyed)");
        assertThat(jvirt("list", "--all").out()).containsPattern("-\\s+" + GUEST + "\\s+shut off");
    }

    @Test
    @Order(4)
    void failuresPrintErrorAndExitOne() throws Exception {
        JvirtJar.Result unknown = jvirt("dominfo", "no-such");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: ").contains("no-such");

        Path bad = host.root().resolve("bad.xml");
        Files.writeString(bad, "<domain type='qemu'><name>x</name>");
        JvirtJar.Result define = jvirt("define", bad.toString());
        assertThat(define.exit()).isEqualTo(1);
        assertThat(define.err()).contains("error: ");

        JvirtJar.Result option = jvirt("list", "--no-such-option");
        assertThat(option.exit()).isEqualTo(1);
        assertThat(option.err()).startsWith("error: ");
        assertThat(jvirt("list", "--all").out()).contains(GUEST).doesNotContain(" x ");
    }

    @Test
    @Order(5)
    void aSecondProcessOnAHeldRootIsRefusedNamingTheHolder() throws Exception {
        try (var _ = host.open()) {
            JvirtJar.Result refused = jvirt("list", "--all");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err())
                    .contains("is in use by pid " + ProcessHandle.current().pid());
        }
        assertThat(jvirt("list", "--all").exit()).isZero();
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The stock virsh's everyday commands against jvirtd, one guest boot: the test guest with a second serial port on a
 * pseudo-terminal (the kernel's console too, so its messages show there), a VGA display and a balloon. Each command
 * is checked as a user checks it, and its errors by libvirt's words.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DailyVirshIT {
    private static final Pattern PTY = Pattern.compile("<serial type='pty'>\\s*<source path='(/dev/pts/\\d+)'/>");
    /** Alt+SysRq+H: the kernel prints its SysRq help on every console, whatever its log level. */
    private static final String[] SYSRQ_HELP = {"KEY_LEFTALT", "KEY_SYSRQ", "KEY_H"};

    private TwoDaemons hosts;
    private Virsh virsh;
    private Virsh readOnly;

    @BeforeAll
    void boot() throws Exception {
        hosts = TwoDaemons.none("jvirtd-daily-it-");
        VirshHost host = hosts.startInJvm("A", TwoDaemons::config);
        hosts.daemon(host).awaitReady();
        virsh = host.virsh();
        readOnly = Virsh.readOnly(host.socket());
        long t0 = System.nanoTime();
        Path xml = hosts.base.resolve("g1.xml");
        Files.writeString(
                xml,
                withPtyConsole(
                        TwoDaemons.guestXml(
                                "g1",
                                hosts.base.resolve("g1.serial.log"),
                                g -> g.memoryMiB(192).fillMiB(32)),
                        hosts.base.resolve("g1.port1.log")));
        assertThat(virsh.run("define", xml.toString()).exit()).isZero();
        assertThat(virsh.run("start", "g1").exit()).isZero();
        try (ConsoleSession console = ConsoleSession.start(virsh, "g1")) {
            awaitOutput(console, "jvirt-guest tick=");
            assertThat(console.escape()).isZero();
        }
        System.out.printf("[it] boot g1 (ticking on its console): %.2f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The test guest's XML with its serial port (and so its console) on a pseudo-terminal instead of a file, a second
     * serial port on a file, a VGA display and a balloon.
     */
    static String withPtyConsole(String xml, Path extraSerial) {
        return xml.replaceAll("<(serial|console) type='file'>\\s*<source path='[^']*' append='on'/>", "<$1 type='pty'>")
                .replace("    <console type='pty'>", """
                            <serial type='file'>
                              <source path='%s'/>
                              <target port='1'/>
                            </serial>
                            <console type='pty'>""".formatted(extraSerial))
                .replace("<memballoon model='none'/>", """
                        <video>
                              <model type='vga'/>
                            </video>
                            <memballoon model='virtio'/>""");
    }

    /** Waits until the console printed {@code text}; fails with what it printed. */
    static void awaitOutput(ConsoleSession console, String text) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .failFast("virsh console exited: " + console.output(), () -> !console.isAlive())
                .alias("console printing '" + text + "'")
                .until(() -> console.output().contains(text));
    }

    @AfterAll
    void stop() throws Exception {
        if (virsh != null) {
            virsh.run("destroy", "g1");
            virsh.run("undefine", "g1");
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    @Order(1)
    void liveXmlShowsThePtyOfTheSerialPort() throws Exception {
        String xml = virsh.run("dumpxml", "g1").out();
        Matcher m = PTY.matcher(xml);
        assertThat(m.find()).as(xml).isTrue();
        assertThat(Path.of(m.group(1))).exists();
        assertThat(xml).contains("<console type='pty' tty='" + m.group(1) + "'>");
        assertThat(virsh.run("dumpxml", "g1", "--inactive").out())
                .contains("<serial type='pty'>")
                .doesNotContain("/dev/pts/");
    }

    @Test
    @Order(2)
    void consoleShowsTheGuestAndIsTakenOnlyByForce() throws Exception {
        try (ConsoleSession first = ConsoleSession.start(virsh, "g1")) {
            awaitOutput(first, "Escape character is");
            assertThat(first.output()).contains("Connected to domain 'g1'");
            awaitOutput(first, "jvirt-guest tick=");
            Virsh.Result key = virsh.run(sendKey(SYSRQ_HELP));
            assertThat(key.exit()).as(key.all()).isZero();
            awaitOutput(first, "sysrq: HELP");

            try (ConsoleSession second = ConsoleSession.start(virsh, "g1", "serial0")) {
                assertThat(second.awaitExit()).isNotZero();
                assertThat(second.output())
                        .contains("error: operation failed: Active console session exists for this domain");
            }
            assertThat(first.isAlive()).isTrue();

            try (ConsoleSession forced = ConsoleSession.start(virsh, "g1", "--force")) {
                awaitOutput(forced, "Escape character is");
                assertThat(first.awaitExit()).as(first.output()).isZero();
                int ticks = forced.output().split("jvirt-guest tick=").length;
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> forced.output().split("jvirt-guest tick=").length > ticks + 2);
                assertThat(forced.escape()).as(forced.output()).isZero();
            }
        }
        try (ConsoleSession safe = ConsoleSession.start(virsh, "g1", "--safe")) {
            awaitOutput(safe, "jvirt-guest tick=");
            assertThat(safe.escape()).as(safe.output()).isZero();
        }
    }

    @Test
    @Order(3)
    void consoleErrorsAreLibvirts() throws Exception {
        try (ConsoleSession file = ConsoleSession.start(virsh, "g1", "serial1")) {
            assertThat(file.awaitExit()).isNotZero();
            assertThat(file.output()).contains("error: internal error: character device serial1 is not using a PTY");
        }
        try (ConsoleSession none = ConsoleSession.start(virsh, "g1", "serial7")) {
            assertThat(none.awaitExit()).isNotZero();
            assertThat(none.output()).contains("error: internal error: cannot find character device serial7");
        }
        try (ConsoleSession ro = ConsoleSession.start(readOnly, "g1")) {
            assertThat(ro.awaitExit()).isNotZero();
            assertThat(ro.output())
                    .contains("error: operation forbidden: read only access prevents virDomainOpenConsole");
        }
    }

    private static String[] sendKey(String... keys) {
        String[] args = new String[keys.length + 2];
        args[0] = "send-key";
        args[1] = "g1";
        System.arraycopy(keys, 0, args, 2, keys.length);
        return args;
    }
}

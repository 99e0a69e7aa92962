package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
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

    @Test
    @Order(4)
    void monitorCommandAnswersInJsonAndHmp() throws Exception {
        Virsh.Result json = virsh.run("qemu-monitor-command", "g1", "{\"execute\":\"query-status\"}");
        assertThat(json.exit()).as(json.all()).isZero();
        assertThat(json.out()).contains("\"status\":\"running\"");
        Virsh.Result hmp = virsh.run("qemu-monitor-command", "g1", "--hmp", "info", "chardev");
        assertThat(hmp.out()).containsPattern("charserial0: filename=pty:/dev/pts/\\d+");
        assertThat(readOnly.run("qemu-monitor-command", "g1", "--hmp", "info", "status")
                        .err())
                .contains("error: operation forbidden: read only access prevents virDomainQemuMonitorCommand");
    }

    @Test
    @Order(5)
    void setmemMovesTheBalloonTargetAndSetmaxmemOnlyTheConfiguration() throws Exception {
        Virsh.Result set = virsh.run("setmem", "g1", "150M");
        assertThat(set.exit()).as(set.all()).isZero();
        assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Used memory:\\s+153600 KiB");
        assertThat(virsh.run("dumpxml", "g1").out()).contains("<currentMemory unit='KiB'>153600</currentMemory>");
        assertThat(virsh.run("setmem", "g1", "1G").err())
                .contains("error: invalid argument: cannot set memory higher than max memory");
        assertThat(virsh.run("setmaxmem", "g1", "300M").err())
                .contains(
                        "error: Requested operation is not valid: cannot resize the maximum memory on an active domain");
        assertThat(virsh.run("setmaxmem", "g1", "300M", "--config").exit()).isZero();
        assertThat(virsh.run("dumpxml", "g1", "--inactive").out()).contains("<memory unit='KiB'>307200</memory>");
        assertThat(virsh.run("dominfo", "g1").out()).containsPattern("Max memory:\\s+196608 KiB");
        assertThat(readOnly.run("setmem", "g1", "160M").err())
                .contains("error: operation forbidden: read only access prevents virDomainSetMemoryFlags");
    }

    @Test
    @Order(6)
    void vcpusChangeInTheConfigurationOnly() throws Exception {
        assertThat(virsh.run("vcpucount", "g1").out())
                .containsPattern("maximum\\s+config\\s+1")
                .containsPattern("current\\s+live\\s+1");
        assertThat(virsh.run("setvcpus", "g1", "2").err())
                .contains("error: invalid argument: requested vcpus is greater than max allowable vcpus for the live"
                        + " domain: 2 > 1");
        assertThat(virsh.run("setvcpus", "g1", "2", "--config").err())
                .contains("requested vcpus is greater than max allowable vcpus for the persistent domain: 2 > 1");
        assertThat(virsh.run("setvcpus", "g1", "2", "--config", "--maximum").exit())
                .isZero();
        assertThat(virsh.run("vcpucount", "g1").out())
                .containsPattern("maximum\\s+config\\s+2")
                .containsPattern("current\\s+live\\s+1");
        assertThat(virsh.run("setvcpus", "g1", "1", "--config", "--maximum").exit())
                .isZero();
    }

    @Test
    @Order(7)
    void screenshotWritesAPng() throws Exception {
        Path shot = hosts.base.resolve("shot");
        Virsh.Result r = virsh.run("screenshot", "g1", shot.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Screenshot saved to " + shot + ", with type of image/png");
        byte[] png = Files.readAllBytes(shot);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        ByteBuffer header = ByteBuffer.wrap(png, 16, 8);
        assertThat(header.getInt()).as("width").isPositive();
        assertThat(header.getInt()).as("height").isPositive();
        assertThat(virsh.run("screenshot", "g1", shot.toString(), "--screen", "1")
                        .err())
                .contains("error: invalid argument: No screen with index 1");
    }

    @Test
    @Order(8)
    void descriptionTitleAndMetadataRoundTripAndSurviveARestart() throws Exception {
        assertThat(virsh.run("desc", "g1").out()).contains("No description for domain: g1");
        assertThat(virsh.run("desc", "g1", "--live", "--config", "a test guest").out())
                .contains("Domain description updated successfully");
        assertThat(virsh.run("desc", "g1", "--title", "--live", "--config", "g1 title")
                        .exit())
                .isZero();
        assertThat(virsh.run("desc", "g1", "--title", "--config", "two\nlines").err())
                .contains("error: metadata title can't contain newlines");
        Virsh.Result meta = virsh.run(
                "metadata",
                "g1",
                "http://example.org/app",
                "--key",
                "app",
                "--config",
                "--live",
                "--set",
                "<inventory><rack>r7</rack></inventory>");
        assertThat(meta.exit()).as(meta.all()).isZero();
        assertThat(virsh.run("dumpxml", "g1", "--inactive").out())
                .contains("<title>g1 title</title>", "<description>a test guest</description>")
                .contains("<app:inventory xmlns:app='http://example.org/app'>");

        VirshHost host = hosts.host("A");
        hosts.daemon(host).close();
        VirshHost again = hosts.startInJvm("A", TwoDaemons::config);
        hosts.daemon(again).awaitReady();
        virsh = again.virsh();
        readOnly = Virsh.readOnly(again.socket());

        assertThat(virsh.run("domstate", "g1").out()).contains("running");
        assertThat(virsh.run("desc", "g1").out()).contains("a test guest");
        assertThat(virsh.run("desc", "g1", "--config", "--title").out()).contains("g1 title");
        assertThat(virsh.run("metadata", "g1", "http://example.org/app", "--config")
                        .out())
                .contains("<inventory>", "<rack>r7</rack>");
        assertThat(virsh.run("metadata", "g1", "http://example.org/app").out()).contains("<rack>r7</rack>");
        assertThat(virsh.run("metadata", "g1", "http://example.org/app", "--config", "--remove")
                        .exit())
                .isZero();
        assertThat(virsh.run("dumpxml", "g1", "--inactive").out()).doesNotContain("<metadata>");
        assertThat(readOnly.run("desc", "g1", "changed").err())
                .contains("error: operation forbidden: read only access prevents virDomainSetMetadata");
        assertThat(readOnly.run("desc", "g1").out()).contains("a test guest");
    }

    @Test
    @Order(9)
    void domrenameOnlyWhileInactive() throws Exception {
        Path xml = hosts.base.resolve("g9.xml");
        Files.writeString(xml, TwoDaemons.guestXml("g9", hosts.base.resolve("g9.serial.log"), g -> g));
        assertThat(virsh.run("define", xml.toString()).exit()).isZero();
        assertThat(virsh.run("domrename", "g1", "g2").err())
                .contains("error: Requested operation is not valid: cannot rename active domain");
        assertThat(virsh.run("domrename", "g9", "g1").err())
                .contains("error: Requested operation is not valid: domain with name 'g1' already exists");
        Virsh.Result ok = virsh.run("domrename", "g9", "g10");
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(ok.out()).contains("Domain successfully renamed");
        assertThat(virsh.run("list", "--all", "--name").out()).contains("g10").doesNotContain("g9");
        assertThat(virsh.run("dumpxml", "g10").out()).contains("<name>g10</name>");
        assertThat(virsh.run("undefine", "g10").exit()).isZero();
    }

    @Test
    @Order(10)
    void agentAndErrorQueriesAnswerAsLibvirtWithoutAnAgent() throws Exception {
        assertThat(virsh.run("domblkerror", "g1").out()).contains("No errors found");
        String noAgent = "error: argument unsupported: QEMU guest agent is not configured";
        assertThat(virsh.run("domtime", "g1").err()).contains(noAgent);
        assertThat(virsh.run("domtime", "g1", "--sync").err()).contains(noAgent);
        assertThat(virsh.run("domhostname", "g1").err()).contains(noAgent);
        assertThat(virsh.run("qemu-agent-command", "g1", "{\"execute\":\"guest-ping\"}")
                        .err())
                .contains(noAgent);
        assertThat(virsh.run("send-key", "g1", "--codeset", "win32", "0x41").err())
                .contains("error: internal error: cannot translate keycode 65 of win32 codeset to qnum keycode");
    }

    @Test
    @Order(11)
    void managedSaveXmlIsShownAndEdited() throws Exception {
        assertThat(virsh.run("managedsave-dumpxml", "g1").err())
                .contains("error: Requested operation is not valid: domain does not have managed save image");
        assertThat(virsh.run("managedsave", "g1").exit()).isZero();
        String saved = virsh.run("managedsave-dumpxml", "g1").out();
        assertThat(saved).contains("<name>g1</name>", "<description>a test guest</description>");
        Path edited = hosts.base.resolve("managed.xml");
        Files.writeString(edited, saved.replace("a test guest", "edited"));
        Virsh.Result define = virsh.run("managedsave-define", "g1", edited.toString());
        assertThat(define.exit()).as(define.all()).isZero();
        assertThat(define.out()).contains("Managed save state file of domain 'g1' updated.");
        ProcessBuilder edit = virsh.command("managedsave-edit", "g1");
        edit.environment().put("EDITOR", "sed -i s/edited/edited-again/");
        Process p = edit.redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(virsh.run("managedsave-dumpxml", "g1").out()).contains("<description>edited-again</description>");
        assertThat(virsh.run("start", "g1").exit()).isZero();
        assertThat(virsh.run("dumpxml", "g1").out()).contains("<description>edited-again</description>");
    }

    private static String[] sendKey(String... keys) {
        String[] args = new String[keys.length + 2];
        args[0] = "send-key";
        args[1] = "g1";
        System.arraycopy(keys, 0, args, 2, keys.length);
        return args;
    }
}

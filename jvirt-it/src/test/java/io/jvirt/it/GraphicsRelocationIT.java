package io.jvirt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.MigrateFlags;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.MigrationBegin;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.StateReason;
import io.jvirt.api.TypedParam;
import io.jvirt.driver.root.SecuritySettings;
import io.jvirt.driver.security.QemuAccount;
import io.jvirt.guest.GuestIntegrity;
import io.jvirt.guest.HostDirs;
import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Display relocation on real QEMU: a guest with a SPICE display (plain and TLS port, certificates made for the
 * test) migrates, and the destination's Prepare cookie tells the source where the display now listens: its
 * address, the ports the destination's QEMU got, and the subject of the destination's SPICE server certificate,
 * which the source hands to QEMU (client_migrate_info) so connected clients follow the guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@ExtendWith(NoStrayQemu.class)
class GraphicsRelocationIT implements NoStrayQemu.Accounted {
    private static final String GUEST = "shown";
    private static final Pattern GRAPHICS =
            Pattern.compile("<graphics type='spice' port='(\\d+)' listen='127\\.0\\.0\\.1' tlsPort='(\\d+)'>\\s*"
                    + "<cert info='subject' value='([^']*)'/>");
    private static final Pattern LIVE_PORTS = Pattern.compile("<graphics type='spice' port='(\\d+)' tlsPort='(\\d+)'");

    private Path certs;
    private TwoHosts hosts;
    private SerialLog serial;

    @BeforeAll
    void setUp() throws Exception {
        certs = HostDirs.temp("jvirt-it-spice-");
        makeCertificates(certs);
        // SPICE reads its key as jvirt.conf's user (jvirt-qemu): the key goes to that user's group, 0640.
        Path key = certs.resolve("server-key.pem");
        Files.setAttribute(
                key, "unix:gid", QemuAccount.resolve(SecuritySettings.DEFAULT).gid());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        hosts = new TwoHosts("gfx", "spice_tls_x509_cert_dir = \"" + certs + "\"\n");
        String xml = hosts.hostA
                .guest(GUEST)
                .toXml()
                .replace(
                        "</devices>",
                        "  <graphics type='spice' port='-1' tlsPort='-1' autoport='yes'>\n"
                                + "      <listen type='address' address='127.0.0.1'/>\n    </graphics>\n  </devices>");
        serial = hosts.boot(GUEST, xml);
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            try (var files = Files.walk(certs)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public void assertNoStrayQemu() throws Exception {
        hosts.assertNoStrayQemu();
    }

    @Test
    void theDestinationCookieCarriesItsDisplayAndCertificateAndTheGuestMoves() {
        Connection a = hosts.a;
        Connection b = hosts.b;
        DomainRef ref = a.lookupByName(GUEST);
        GuestIntegrity check = hosts.check(serial, GUEST, a);
        long flags = MigrateFlags.LIVE | MigrateFlags.CHANGE_PROTECTION;
        MigrationBegin begin = MigrationPhases.of(a).migrateBegin3(ref, List.of(), flags);
        List<TypedParam> params = new ArrayList<>(List.of(
                TypedParam.string(MigrateParams.DEST_XML, begin.domainXml()),
                TypedParam.string(MigrateParams.DEST_NAME, GUEST)));
        MigrationPrepared prepared = MigrationPhases.of(b).migratePrepare3(params, begin.cookie(), MigrateFlags.LIVE);

        Matcher cookie = GRAPHICS.matcher(prepared.cookie());
        assertThat(cookie.find())
                .as("graphics section in %s", prepared.cookie())
                .isTrue();
        Matcher live = LIVE_PORTS.matcher(b.xmlDesc(b.lookupByName(GUEST), 0));
        assertThat(live.find()).isTrue();
        assertThat(cookie.group(1)).as("the port B's QEMU listens on").isEqualTo(live.group(1));
        assertThat(cookie.group(2)).as("the TLS port B's QEMU listens on").isEqualTo(live.group(2));
        assertThat(cookie.group(3)).isEqualTo("CN=dest.jvirt.test,O=jvirt");

        params.add(TypedParam.string(MigrateParams.URI, prepared.uri()));
        String performed = MigrationPhases.of(a).migratePerform3(ref, null, params, prepared.cookie(), flags);
        MigrationFinished finished = MigrationPhases.of(b).migrateFinish3(params, performed, MigrateFlags.LIVE, false);
        MigrationPhases.of(a).migrateConfirm3(ref, params, finished.cookie(), flags, false);
        hosts.assertArrived(check, a, b).andOn(hosts.guestHost(a), StateReason.SHUTOFF_MIGRATED);
    }

    /** A CA and a server certificate signed by it, laid out as QEMU's SPICE x509 directory wants them. */
    private static void makeCertificates(Path dir) throws Exception {
        run(
                dir,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/O=jvirt/CN=jvirt test CA",
                "-keyout",
                "ca-key.pem",
                "-out",
                "ca-cert.pem");
        run(
                dir,
                "openssl",
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/O=jvirt/CN=dest.jvirt.test",
                "-keyout",
                "server-key.pem",
                "-out",
                "server.csr");
        run(
                dir,
                "openssl",
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca-cert.pem",
                "-CAkey",
                "ca-key.pem",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                "server-cert.pem");
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }
}

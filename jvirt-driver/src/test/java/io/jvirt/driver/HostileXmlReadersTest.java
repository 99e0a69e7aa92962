package io.jvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.Connection;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import io.jvirt.api.XmlFlags;
import io.jvirt.config.DeviceXml;
import io.jvirt.driver.domain.LastStateXml;
import io.jvirt.driver.domain.StatusXml;
import io.jvirt.driver.migration.cookie.CookieFeature;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import io.jvirt.driver.root.HostRoot;
import io.jvirt.driver.save.SaveFormat;
import io.jvirt.driver.save.SaveImage;
import io.jvirt.driver.save.SaveImageHeader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CVE-2014-0179 (entity expansion reading arbitrary files) for every reader of XML jvirt has: a DTD, an entity
 * expansion (billion laughs) or an external entity naming a secret file is refused with libvirt's XML error, and the
 * file's contents never appear, wherever the XML comes from: domain definitions (define, create, migration's
 * destination XML), device XML for attach, the migration cookie, a save image's header, status and last-state files.
 */
class HostileXmlReadersTest {
    private static final String SECRET = "TOP-SECRET-MARKER";

    @TempDir
    Path dir;

    private Path secret;
    private Connection conn;
    private HostRoot root;

    @BeforeEach
    void open() throws Exception {
        secret = dir.resolve("secret.txt");
        Files.writeString(secret, SECRET);
        root = new HostRoot(dir.resolve("root")).create();
        conn = QemuDriver.open("qemu:///embed?root=" + root.dir(), root);
    }

    @AfterEach
    void close() throws Exception {
        conn.close();
    }

    /** The three attacks on a document whose root element is {@code root} with {@code body} inside. */
    private List<String> attacks(String rootElement, String body) {
        String laughs = "<!DOCTYPE " + rootElement + " [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>";
        String external = "<!DOCTYPE " + rootElement + " [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>";
        String dtd = "<!DOCTYPE " + rootElement + " SYSTEM '" + secret.toUri() + "'>";
        return List.of(
                laughs + "<" + rootElement + ">" + body.replace("NAME", "&e;") + "</" + rootElement + ">",
                external + "<" + rootElement + ">" + body.replace("NAME", "&x;") + "</" + rootElement + ">",
                dtd + "<" + rootElement + ">" + body.replace("NAME", "g1") + "</" + rootElement + ">");
    }

    private static void refused(ThrowingCallable read) {
        assertThatThrownBy(read).isInstanceOfSatisfying(VirtException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL);
            assertThat(e.getMessage()).contains("DOCTYPE").doesNotContain(SECRET);
        });
    }

    private void eachRefused(String rootElement, String body, Consumer<String> reader) {
        for (String xml : attacks(rootElement, body)) {
            refused(() -> reader.accept(xml));
        }
    }

    private static final String DOMAIN_BODY = "<name>NAME</name><memory>65536</memory><os><type>hvm</type></os>";

    @Test
    void domainDefinitionsToDefineAndCreate() {
        eachRefused("domain", DOMAIN_BODY, conn::defineXml);
        eachRefused("domain", DOMAIN_BODY, xml -> conn.createXml(xml, 0));
        assertThat(conn.listAllDomains(0)).isEmpty();
        assertThat(root.configDir()).isDirectoryNotContaining("glob:**.xml");
    }

    @Test
    void deviceXmlForAttach() {
        eachRefused("disk", "<source file='NAME'/><target dev='vdb'/>", DeviceXml::parse);
    }

    @Test
    void migrationCookie() {
        String body = "<name>NAME</name><uuid>" + UUID.randomUUID() + "</uuid><hostname>h</hostname>" + "<hostuuid>"
                + UUID.randomUUID() + "</hostuuid>";
        eachRefused(
                "qemu-migration",
                body,
                xml -> MigrationCookieXml.parse(
                        xml, EnumSet.allOf(CookieFeature.class), "g1", UUID.randomUUID(), UUID.randomUUID()));
    }

    @Test
    void statusAndLastStateFiles() {
        eachRefused("domstatus", "<domain type='qemu'>" + DOMAIN_BODY.replace("NAME", "g1") + "</domain>", xml -> {
            StatusXml.parse(xml, "status");
        });
        eachRefused("laststate", "<state>NAME</state>", xml -> LastStateXml.parse(xml, "laststate"));
    }

    @Test
    void saveImageHeader() throws Exception {
        for (String xml : attacks("domain", DOMAIN_BODY)) {
            Path image = dir.resolve("hostile.img");
            writeImage(image, xml);
            refused(() -> conn.saveImageXml(image.toString(), 0));
            refused(() -> conn.saveImageDefineXml(
                    image.toString(), "<domain type='qemu'>" + DOMAIN_BODY.replace("NAME", "g1") + "</domain>", 0));
            refused(() -> conn.restore(image.toString(), null, 0));
        }
        assertThat(conn.listAllDomains(0)).isEmpty();
    }

    @Test
    void saveImageXmlShowsPasswordsOnlyWithTheSecureFlag() throws Exception {
        Path image = dir.resolve("g1.img");
        writeImage(
                image,
                "<domain type='qemu'>"
                        + DOMAIN_BODY
                                .replace("NAME", "g1")
                                .replace(
                                        "</os>",
                                        "</os><devices><graphics type='vnc' port='5901' autoport='no'"
                                                + " passwd='vnc-s3cret'/></devices>")
                        + "</domain>");
        assertThat(conn.saveImageXml(image.toString(), 0))
                .contains("<name>g1</name>")
                .doesNotContain("s3cret");
        assertThat(conn.saveImageXml(image.toString(), XmlFlags.SECURE)).contains("passwd='vnc-s3cret'");
    }

    private static void writeImage(Path image, String domainXml) throws Exception {
        try (FileChannel file = FileChannel.open(
                image, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            SaveImage.writePreamble(file, SaveImageHeader.partial(false, SaveFormat.RAW), domainXml, null);
            SaveImage.markComplete(file);
        }
    }
}

package io.jvirt.driver.migration.cookie;

import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.DEST_HOST;
import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.DOMAIN_UUID;
import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.NAME;
import static io.jvirt.driver.migration.cookie.MigrationCookieGoldenTest.SOURCE_HOST;
import static io.jvirt.driver.migration.cookie.MigrationCookieLibvirtShapeTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every way a received cookie is refused, with libvirt's checks, order and messages. */
class MigrationCookieRefusalTest {
    private static final Set<CookieFeature> ALL = EnumSet.allOf(CookieFeature.class);
    private static final String HEAD = "<qemu-migration>\n  <name>guest1</name>\n"
            + "  <uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>\n  <hostname>src.example.org</hostname>\n"
            + "  <hostuuid>0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71</hostuuid>\n";

    /** A cookie from the source host with {@code body} after the identity. */
    private static String cookie(String body) {
        return HEAD + body + "</qemu-migration>\n";
    }

    private static MigrationCookie receive(String xml) {
        return MigrationCookieXml.parse(xml, ALL, NAME, DOMAIN_UUID, DEST_HOST);
    }

    private static VirtException thrown(Runnable call) {
        try {
            call.run();
        } catch (VirtException e) {
            return e;
        }
        throw new AssertionError("expected a VirtException");
    }

    @Test
    void minimalCookieIsAccepted() {
        assertThat(receive(cookie("")))
                .isEqualTo(MigrationCookie.of(NAME, DOMAIN_UUID, "src.example.org", SOURCE_HOST));
    }

    @Test
    void missingOrEmptyNameIsRefused() {
        assertRefused(
                () -> receive(cookie("").replace("  <name>guest1</name>\n", "")),
                "missing name element in migration data");
        assertRefused(
                () -> receive(cookie("").replace("<name>guest1</name>", "<name></name>")),
                "missing name element in migration data");
    }

    @Test
    void otherNameIsRefusedNamingBoth() {
        assertRefused(
                () -> MigrationCookieXml.parse(cookie(""), ALL, "guest2", DOMAIN_UUID, DEST_HOST),
                "Incoming cookie data had unexpected name guest1 vs guest2");
    }

    @Test
    void noExpectedNameTakesAnyName() {
        assertThat(MigrationCookieXml.parse(cookie(""), ALL, null, DOMAIN_UUID, DEST_HOST)
                        .name())
                .isEqualTo(NAME);
    }

    @Test
    void missingUuidIsRefused() {
        assertRefused(
                () -> receive(cookie("").replace("  <uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>\n", "")),
                "missing uuid element in migration data");
    }

    @Test
    void otherUuidIsRefusedNamingBoth() {
        UUID other = UUID.fromString("11111111-2222-3333-4444-555555555555");
        assertRefused(
                () -> MigrationCookieXml.parse(cookie(""), ALL, NAME, other, DEST_HOST),
                "Incoming cookie data had unexpected UUID c7a5fdbd-cdaf-9455-926a-d65c16db1809 vs " + other);
    }

    @Test
    void missingHostnameIsRefused() {
        assertRefused(
                () -> receive(cookie("").replace("  <hostname>src.example.org</hostname>\n", "")),
                "missing hostname element in migration data");
    }

    @Test
    void missingHostUuidIsRefused() {
        assertRefused(
                () -> receive(cookie("").replace("  <hostuuid>0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71</hostuuid>\n", "")),
                "missing hostuuid element in migration data");
    }

    @Test
    void malformedHostUuidIsRefused() {
        assertRefused(
                () -> receive(cookie("").replace("0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71", "0d3c1a4e-8f57")),
                "malformed hostuuid element in migration data");
        assertRefused(
                () -> receive(cookie("")
                        .replace("0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71", "zz3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71")),
                "malformed hostuuid element in migration data");
    }

    @Test
    void hostUuidWithoutDashesIsAcceptedAsLibvirtDoes() {
        MigrationCookie c =
                receive(cookie("").replace("0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71", "0d3c1a4e8f574d8e9b6a2f1e0c9d8a71"));
        assertThat(c.hostUuid()).isEqualTo(SOURCE_HOST);
    }

    @Test
    void cookieFromThisHostIsRefused() {
        assertRefused(
                () -> MigrationCookieXml.parse(cookie(""), ALL, NAME, DOMAIN_UUID, SOURCE_HOST),
                "Attempt to migrate guest to the same host 0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71");
    }

    @Test
    void featureWithoutNameIsRefused() {
        assertRefused(() -> receive(cookie("  <feature/>\n")), "missing feature name");
    }

    @Test
    void unknownFeatureIsRefused() {
        assertRefused(
                () -> receive(cookie("  <feature name='teleport'/>\n")), "Unknown migration cookie feature teleport");
    }

    @Test
    void knownFeatureThePhaseDoesNotAcceptIsRefused() {
        assertRefused(
                () -> MigrationCookieXml.parse(
                        cookie("  <feature name='persistent'/>\n"),
                        EnumSet.of(CookieFeature.STATISTICS),
                        NAME,
                        DOMAIN_UUID,
                        DEST_HOST),
                "Unsupported migration cookie feature persistent");
    }

    @Test
    void checksRunInLibvirtsOrder() {
        String badEverywhere = cookie("  <feature name='teleport'/>\n");
        // same host is found before the unknown feature
        assertRefused(
                () -> MigrationCookieXml.parse(badEverywhere, ALL, NAME, DOMAIN_UUID, SOURCE_HOST),
                "Attempt to migrate guest to the same host 0d3c1a4e-8f57-4d8e-9b6a-2f1e0c9d8a71");
        // and the name before everything
        assertRefused(
                () -> MigrationCookieXml.parse(badEverywhere, ALL, "other", UUID.randomUUID(), SOURCE_HOST),
                "Incoming cookie data had unexpected name guest1 vs other");
    }

    @Test
    void malformedGraphicsIsRefused() {
        assertRefused(
                () -> receive(cookie("  <graphics port='1' listen='a' tlsPort='2'/>\n")),
                "missing type attribute in migration data");
        assertRefused(
                () -> receive(cookie("  <graphics type='hologram' port='1' listen='a'/>\n")),
                "unknown graphics type hologram");
        assertRefused(
                () -> receive(cookie("  <graphics type='vnc' listen='a'/>\n")),
                "missing port attribute in migration data");
        assertRefused(
                () -> receive(cookie("  <graphics type='spice' port='1' listen='a'/>\n")),
                "missing tlsPort attribute in migration data");
        assertRefused(
                () -> receive(cookie("  <graphics type='spice' port='1' tlsPort='-1'/>\n")),
                "missing listen attribute in migration data");
    }

    @Test
    void lockStateWithoutDriverIsRefused() {
        assertRefused(
                () -> receive(cookie("  <lockstate>\n    <leases>x</leases>\n  </lockstate>\n")),
                "Missing lock driver name in migration cookie");
    }

    @Test
    void emptyLeasesAreNoLockState() {
        MigrationCookie c = receive(cookie("  <lockstate driver='sanlock'>\n    <leases/>\n  </lockstate>\n"));
        assertThat(c.lockState()).isEqualTo(new CookieLockState("sanlock", null));
    }

    @Test
    void twoDomainsAreRefused() {
        assertRefused(
                () -> receive(cookie("  <domain type='qemu'/>\n  <domain type='qemu'/>\n")),
                "Too many domain elements in migration cookie");
    }

    @Test
    void capabilityWithoutNameIsRefused() {
        assertRefused(
                () -> receive(cookie("  <capabilities>\n    <cap auto='yes'/>\n  </capabilities>\n")),
                "missing migration capability name");
    }

    @Test
    void notWellFormedIsTheParsersXmlError() {
        VirtException e = thrown(() -> receive("<qemu-migration><name>guest1</qemu-migration>"));
        assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL);
        assertThat(e.getMessage()).startsWith("(qemu_migration_cookie):1:");
    }

    @Test
    void emptyTextIsTheParsersXmlError() {
        assertThat(thrown(() -> receive("")).code()).isEqualTo(ErrorCode.XML_DETAIL);
    }

    @Test
    void otherRootElementIsRefused() {
        String domainRoot = cookie("").replace("qemu-migration", "domain");
        VirtException e = thrown(() -> receive(domainRoot));
        assertThat(e.code()).isEqualTo(ErrorCode.XML_ERROR);
        assertThat(e.getMessage()).isEqualTo("XML error: expecting root element of 'qemu-migration', not 'domain'");
    }

    @Test
    void internalEntityIsRefused() {
        String xml = "<!DOCTYPE qemu-migration [<!ENTITY n \"guest1\">]>\n"
                + cookie("").replace("<name>guest1</name>", "<name>&n;</name>");
        VirtException e = thrown(() -> receive(xml));
        assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL);
        assertThat(e.getMessage()).containsIgnoringCase("DOCTYPE");
    }

    @Test
    void externalEntityIsRefusedWithoutReadingIt() {
        String xml = "<!DOCTYPE qemu-migration [<!ENTITY h SYSTEM \"file:///etc/hostname\">]>\n"
                + cookie("").replace("<hostname>src.example.org</hostname>", "<hostname>&h;</hostname>");
        VirtException e = thrown(() -> receive(xml));
        assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL);
        assertThat(e.getMessage()).containsIgnoringCase("DOCTYPE");
    }

    @Test
    void cookieOfExactlyTheLimitIsParsed() {
        String base = cookie("");
        String padded = base.replace(
                "</qemu-migration>",
                " ".repeat(MigrationCookieXml.MAX_BYTES - base.getBytes(StandardCharsets.UTF_8).length)
                        + "</qemu-migration>");
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(MigrationCookieXml.MAX_BYTES);
        assertThat(receive(padded).name()).isEqualTo(NAME);
    }

    @Test
    void cookieOverTheLimitIsRefusedBeforeParsing() {
        String base = cookie("");
        // not well-formed as well: the size check must come first
        String oversize = base + "x".repeat(MigrationCookieXml.MAX_BYTES + 1 - base.length());
        VirtException e = thrown(() -> receive(oversize));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG);
        assertThat(e.getMessage()).contains("4194305 bytes", "4194304");
    }

    @Test
    void limitCountsUtf8BytesNotCharacters() {
        String base = cookie("");
        // 1.4 million three-byte characters: under the limit in chars, over it in bytes
        String wide = base.replace(
                "<hostname>src.example.org</hostname>", "<hostname>" + "€".repeat(1_400_000) + "</hostname>");
        assertThat(wide.length()).isLessThan(MigrationCookieXml.MAX_BYTES);
        assertThatThrownBy(() -> receive(wide))
                .isInstanceOfSatisfying(
                        VirtException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG));
    }
}

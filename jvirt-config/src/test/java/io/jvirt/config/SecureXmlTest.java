package io.jvirt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.VirtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The parser refuses entity tricks and oversized input; both entry points behave the same. */
class SecureXmlTest {
    private static final String BILLION_LAUGHS = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <domain type='qemu'><name>&lol9;</name></domain>
            """;

    private static void refusedEverywhere(String xml, Consumer<VirtException> check) {
        assertThatThrownBy(() -> SecureXml.parse(xml, "t")).isInstanceOfSatisfying(VirtException.class, check);
        assertThatThrownBy(() -> SecureXml.parseElement(xml, "t")).isInstanceOfSatisfying(VirtException.class, check);
        assertThatThrownBy(() -> DomainXml.parse(xml)).isInstanceOfSatisfying(VirtException.class, check);
    }

    @Test
    void billionLaughsIsRefused() {
        refusedEverywhere(BILLION_LAUGHS, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL);
            assertThat(e.getMessage()).contains("DOCTYPE");
        });
    }

    @Test
    void externalEntityIsRefusedAndTheFileNeverRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-MARKER");
        for (String target : new String[] {secret.toUri().toString(), "file:///etc/passwd"}) {
            String xml = "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM '" + target + "'>]>"
                    + "<domain type='qemu'><name>&x;</name></domain>";
            refusedEverywhere(xml, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL);
                assertThat(e.getMessage())
                        .contains("DOCTYPE")
                        .doesNotContain("TOP-SECRET-MARKER")
                        .doesNotContain("root:");
            });
        }
    }

    @Test
    void externalDtdIsRefused() {
        refusedEverywhere(
                "<!DOCTYPE domain SYSTEM 'http://127.0.0.1:1/x.dtd'><domain/>",
                e -> assertThat(e.getMessage()).contains("DOCTYPE"));
    }

    @Test
    void xincludeIsNotProcessed() {
        XmlElement root = SecureXml.parseElement(
                "<a xmlns:xi='http://www.w3.org/2001/XInclude'><xi:include href='file:///etc/passwd'/></a>", "t");

        assertThat(root.toXml())
                .contains("<xi:include href='file:///etc/passwd'/>")
                .doesNotContain("root:");
    }

    @Test
    void tooDeepNestingIsRefused() {
        String deep = "<a>".repeat(SecureXml.MAX_DEPTH + 10) + "</a>".repeat(SecureXml.MAX_DEPTH + 10);

        refusedEverywhere(deep, e -> assertThat(e.code()).isEqualTo(ErrorCode.XML_DETAIL));
    }

    @Test
    void aParserTakenAgainAfterARefusalStillRefusesAndParses() {
        String deep = "<a>".repeat(SecureXml.MAX_DEPTH + 10) + "</a>".repeat(SecureXml.MAX_DEPTH + 10);
        String fine = "<a b='2' a='1'><c>text</c></a>";

        // One thread takes the same kept parser every time; more rounds than parsers are kept.
        for (int round = 0; round < 20; round++) {
            assertThatThrownBy(() -> SecureXml.parseElement(deep, "t"))
                    .isInstanceOfSatisfying(
                            VirtException.class, e -> assertThat(e.getMessage()).contains("depth"));
            assertThatThrownBy(() -> SecureXml.parseElement(BILLION_LAUGHS, "t"))
                    .isInstanceOfSatisfying(
                            VirtException.class, e -> assertThat(e.getMessage()).contains("DOCTYPE"));
            assertThatThrownBy(() -> SecureXml.parseElement("<a><b></a>", "t"))
                    .isInstanceOfSatisfying(
                            VirtException.class, e -> assertThat(e.getMessage()).startsWith("(t):1:"));
            assertThat(SecureXml.parseElement(fine, "t").toXml()).isEqualTo("<a b='2' a='1'>\n  <c>text</c>\n</a>");
        }
    }

    @Test
    void oversizedInputIsRefused() {
        String big = "<a>" + "x".repeat(SecureXml.MAX_CHARS) + "</a>";

        refusedEverywhere(big, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARG));
    }

    @Test
    void parsesAndWritesInLibvirtLayout() {
        Document doc = SecureXml.parse(
                "<domstatus state='running' pid='42'>\n<monitor path='/run/m.sock'/>"
                        + "<note>a &amp; b</note></domstatus>",
                "status");

        assertThat(doc.getDocumentElement().getAttribute("pid")).isEqualTo("42");
        assertThat(SecureXml.write(doc.getDocumentElement())).isEqualTo("""
                <domstatus pid='42' state='running'>
                  <monitor path='/run/m.sock'/>
                  <note>a &amp; b</note>
                </domstatus>
                """);
    }

    @Test
    void elementTreeKeepsAttributeOrderAndEscapesOnWrite() {
        XmlElement e = SecureXml.parseElement("<x b='2' a='it&apos;s &lt;&#10;here&gt;'/>", "t");

        String written = SecureXml.write(e);

        assertThat(written).isEqualTo("<x b='2' a='it&apos;s &lt;&#10;here&gt;'/>\n");
        assertThat(SecureXml.parseElement(written, "t")).isEqualTo(e);
    }
}

package io.jvirt.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Bad definitions fail with libvirt's error codes and messages that name the problem and its place. */
class DomainXmlErrorTest {
    private static final String OS = "<os><type>hvm</type></os>";

    private static String domain(String type, String body) {
        return "<domain type='" + type + "'>" + body + "</domain>";
    }

    private static String valid(String devices) {
        return domain("qemu", "<name>d</name><memory>1024</memory>" + OS + "<devices>" + devices + "</devices>");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> parsing(String xml, ErrorCode code) {
        return assertThatThrownBy(() -> DomainXml.parse(xml))
                .isInstanceOfSatisfying(
                        VirtException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                .isEqualTo(code));
    }

    @Test
    void notWellFormedNamesLineAndColumn() {
        parsing("<domain type='qemu'>\n  <name>d</nam>\n</domain>", ErrorCode.XML_DETAIL)
                .hasMessageStartingWith("(domain_definition):2:")
                .hasMessageContaining("name");
    }

    @Test
    void notWellFormedIsReportedByTheXmlDomain() {
        assertThatThrownBy(() -> DomainXml.parse("<domain"))
                .isInstanceOfSatisfying(
                        VirtException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.domain())
                                .isEqualTo(ErrorDomain.XML));
    }

    @Test
    void missingName() {
        parsing(domain("qemu", "<memory>1024</memory>" + OS), ErrorCode.XML_ERROR)
                .hasMessage("XML error: missing name information");
    }

    @Test
    void nameWithSlash() {
        parsing(domain("qemu", "<name>a/b</name><memory>1024</memory>" + OS), ErrorCode.XML_ERROR)
                .hasMessageContaining("cannot contain '/'");
    }

    @Test
    void badUuid() {
        parsing(domain("qemu", "<name>d</name><uuid>not-a-uuid</uuid><memory>1024</memory>" + OS), ErrorCode.XML_ERROR)
                .hasMessageContaining("malformed uuid element")
                .hasMessageContaining("not-a-uuid");
    }

    @Test
    void unknownMemoryUnit() {
        parsing(domain("qemu", "<name>d</name><memory unit='XB'>1</memory>" + OS), ErrorCode.INVALID_ARG)
                .hasMessageContaining("unknown suffix 'XB'")
                .hasMessageContaining("/domain/memory");
    }

    @Test
    void memoryThatIsNotANumber() {
        parsing(domain("qemu", "<name>d</name><memory>lots</memory>" + OS), ErrorCode.XML_ERROR)
                .hasMessageContaining("memory")
                .hasMessageContaining("lots");
    }

    @Test
    void memoryOverflow() {
        parsing(domain("qemu", "<name>d</name><memory unit='EiB'>9000</memory>" + OS), ErrorCode.OVERFLOW)
                .hasMessageContaining("value too large");
    }

    @Test
    void missingMemory() {
        parsing(domain("qemu", "<name>d</name>" + OS), ErrorCode.XML_ERROR)
                .hasMessageContaining("Memory size must be specified");
    }

    @Test
    void unsupportedDomainType() {
        parsing(domain("xen", "<name>d</name><memory>1024</memory>" + OS), ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("'xen'");
    }

    @Test
    void missingDomainType() {
        parsing("<domain><name>d</name><memory>1024</memory>" + OS + "</domain>", ErrorCode.XML_ERROR)
                .hasMessageContaining("missing domain type");
    }

    @Test
    void wrongRootElement() {
        parsing("<network><name>d</name></network>", ErrorCode.XML_ERROR).hasMessageContaining("<network>");
    }

    @Test
    void missingOsType() {
        parsing(domain("qemu", "<name>d</name><memory>1024</memory>"), ErrorCode.XML_ERROR)
                .hasMessageContaining("os <type>");
    }

    @Test
    void zeroVcpus() {
        parsing(domain("qemu", "<name>d</name><memory>1024</memory><vcpu>0</vcpu>" + OS), ErrorCode.XML_ERROR)
                .hasMessageContaining("vCPU");
    }

    @Test
    void coredumpIsOnlyForCrashes() {
        parsing(
                        domain(
                                "qemu",
                                "<name>d</name><memory>1024</memory>" + OS + "<on_reboot>coredump-destroy</on_reboot>"),
                        ErrorCode.XML_ERROR)
                .hasMessageContaining("on_reboot");
    }

    @Test
    void unsupportedDiskBusNamesTheDisk() {
        parsing(
                        valid("<disk type='file'><source file='/a'/><target dev='vda' bus='usb'/></disk>"),
                        ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("'usb'")
                .hasMessageContaining("disk[1]");
    }

    @Test
    void diskWithoutTarget() {
        parsing(valid("<disk type='file'><source file='/img/a.raw'/></disk>"), ErrorCode.XML_ERROR)
                .hasMessageContaining("missing target information")
                .hasMessageContaining("/img/a.raw");
    }

    @Test
    void unsupportedInterfaceType() {
        parsing(
                        valid("<interface type='network'><source network='default'/></interface>"),
                        ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("unsupported interface type 'network'");
        parsing(
                        valid("<interface type='direct'><source dev='eth0' mode='bridge'/></interface>"),
                        ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("unsupported interface type 'direct'");
        parsing(valid("<interface type='vhostuser'/>"), ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("unsupported interface type 'vhostuser'");
    }

    @Test
    void unknownInterfaceType() {
        parsing(valid("<interface type='carrier-pigeon'/>"), ErrorCode.XML_ERROR)
                .hasMessageContaining("'carrier-pigeon'");
    }

    @Test
    void bridgeWithoutSourceBridge() {
        parsing(valid("<interface type='bridge'><mac address='52:54:00:00:00:01'/></interface>"), ErrorCode.XML_ERROR)
                .hasMessageContaining("No <source> 'bridge' attribute specified with <interface type='bridge'/>");
    }

    @Test
    void malformedMtu() {
        parsing(
                        valid("<interface type='bridge'><source bridge='br0'/><mtu size='big'/></interface>"),
                        ErrorCode.XML_ERROR)
                .hasMessageContaining("malformed mtu size 'big'");
    }

    @Test
    void unknownLinkState() {
        parsing(
                        valid("<interface type='bridge'><source bridge='br0'/><link state='sideways'/></interface>"),
                        ErrorCode.XML_ERROR)
                .hasMessageContaining("unknown interface link state 'sideways'");
    }

    @Test
    void managedOnlyOnEthernet() {
        parsing(
                        valid(
                                "<interface type='bridge'><source bridge='br0'/><target dev='t0' managed='no'/></interface>"),
                        ErrorCode.CONFIG_UNSUPPORTED)
                .hasMessageContaining("managed");
    }

    @Test
    void badMac() {
        parsing(valid("<interface type='user'><mac address='52:54:00:zz:00:01'/></interface>"), ErrorCode.XML_ERROR)
                .hasMessageContaining("52:54:00:zz:00:01");
    }

    @Test
    void multicastMac() {
        parsing(valid("<interface type='user'><mac address='01:54:00:00:00:01'/></interface>"), ErrorCode.XML_ERROR)
                .hasMessageContaining("multicast");
    }

    @Test
    void fileSerialWithoutPath() {
        parsing(valid("<serial type='file'><target port='0'/></serial>"), ErrorCode.XML_ERROR)
                .hasMessageContaining("source path")
                .hasMessageContaining("serial[1]");
    }

    @Test
    void listenAttributeMustMatchFirstListen() {
        parsing(
                        valid(
                                "<graphics type='vnc' listen='127.0.0.1'><listen type='address' address='0.0.0.0'/></graphics>"),
                        ErrorCode.XML_ERROR)
                .hasMessageContaining("'127.0.0.1'")
                .hasMessageContaining("'0.0.0.0'");
    }

    @Test
    void doctypeIsRefused() {
        parsing("<!DOCTYPE domain><domain type='qemu'><name>d</name></domain>", ErrorCode.XML_DETAIL)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void hugeInputIsRefusedBeforeParsing() {
        String huge = valid("") + " ".repeat(SecureXml.MAX_CHARS);

        parsing(huge, ErrorCode.INVALID_ARG).hasMessageContaining("too large");
    }
}

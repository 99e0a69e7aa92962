package io.jvirt.config;

import static io.jvirt.config.DomainXmlGoldenTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The model as the driver uses it: accessors, copies with changes, generated identities, flag effects. */
class DomainDefTest {
    private static final String BARE = "<domain type='qemu'><name>bare</name><memory unit='MiB'>64</memory>"
            + "<os><type>hvm</type></os><devices><interface type='user'/></devices></domain>";

    @Test
    void testGuestShapeReadsAsTheDriverNeedsIt() throws IOException {
        DomainDef def = DomainXml.parse(resource("test-guest-in.xml"));

        assertThat(def.type()).isEqualTo(DomainType.QEMU);
        assertThat(def.id()).isEqualTo(-1);
        assertThat(def.memoryKiB()).isEqualTo(512 * 1024);
        assertThat(def.currentMemoryKiB()).isEqualTo(512 * 1024);
        assertThat(def.vcpus()).isEqualTo(1);
        assertThat(def.os().kernel()).isEqualTo("/var/cache/jvirt/guest/bzImage");
        assertThat(def.os().cmdline()).contains("console=ttyS0");
        assertThat(def.hasFeature("acpi")).isTrue();
        assertThat(def.serials()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo(CharSourceType.FILE);
            assertThat(s.sourcePath()).isEqualTo("/tmp/jvirt-g1.log");
            assertThat(s.append()).isTrue();
            assertThat(s.targetPort()).isZero();
        });
        assertThat(def.consoles())
                .singleElement()
                .extracting(CharDeviceDef::targetType)
                .isEqualTo("serial");
        assertThat(def.memballoon()).get().extracting(MemballoonDef::model).isEqualTo("none");
        assertThat(def.emulator()).isEqualTo("/usr/bin/qemu-system-x86_64");
    }

    @Test
    void missingUuidAndMacAreGeneratedAndSurviveARoundTrip() {
        DomainDef a = DomainXml.parse(BARE);
        DomainDef b = DomainXml.parse(BARE);

        assertThat(a.uuid()).isNotEqualTo(b.uuid());
        assertThat(a.interfaces().getFirst().mac()).matches("52:54:00(:[0-9a-f]{2}){3}");
        assertThat(DomainXml.parse(DomainXml.format(a))).isEqualTo(a);
    }

    @Test
    void uuidWithoutDashesIsTheSameUuid() {
        DomainDef def = DomainXml.parse(BARE.replace(
                "<name>bare</name>",
                "<name>bare</name><uuid>6ba7b810 9dad11d180b400c04fd430c8</uuid>".replace(" ", "")));

        assertThat(def.uuid()).isEqualTo(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
    }

    @Test
    void withIdMakesLiveXmlCarryTheIdAndInactiveXmlDropIt() {
        DomainDef live = DomainXml.parse(BARE).withId(12);

        assertThat(live.isActive()).isTrue();
        assertThat(DomainXml.format(live)).startsWith("<domain type='qemu' id='12'>\n");
        assertThat(DomainXml.format(live, EnumSet.of(FormatFlag.INACTIVE))).startsWith("<domain type='qemu'>\n");
        assertThat(DomainXml.format(live, EnumSet.of(FormatFlag.MIGRATABLE))).startsWith("<domain type='qemu'>\n");
    }

    @Test
    void withNameAndUuidChangeOnlyThose() {
        DomainDef def = DomainXml.parse(BARE);
        UUID uuid = UUID.randomUUID();

        DomainDef changed = def.withName("other").withUuid(uuid);

        assertThat(changed.name()).isEqualTo("other");
        assertThat(changed.uuid()).isEqualTo(uuid);
        assertThat(changed.withName("bare").withUuid(def.uuid())).isEqualTo(def);
    }

    @Test
    void withGraphicsSetsTheChosenPortsForLiveXmlOnly() throws IOException {
        DomainDef def = DomainXml.parse(resource("graphics-in.xml"));
        List<GraphicsDef> withPorts = def.graphics().stream()
                .map(g -> g.autoport() ? g.withPorts(5900 + def.graphics().indexOf(g), null) : g)
                .toList();

        DomainDef live = def.withId(3).withGraphics(withPorts);

        assertThat(live.graphics().getFirst().port()).isEqualTo(5900);
        assertThat(DomainXml.format(live)).contains("<graphics type='vnc' port='5900' autoport='yes'");
        assertThat(DomainXml.format(live, EnumSet.of(FormatFlag.INACTIVE)))
                .contains("<graphics type='vnc' port='-1' autoport='yes'")
                .doesNotContain("port='5900'");
        assertThat(DomainXml.parse(DomainXml.format(live, EnumSet.of(FormatFlag.INACTIVE))))
                .isEqualTo(def.withId(-1));
    }

    @Test
    void withGraphicsRefusesAnotherCount() throws IOException {
        DomainDef def = DomainXml.parse(resource("graphics-in.xml"));

        assertThatThrownBy(() -> def.withGraphics(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 graphics devices");
    }

    @Test
    void hideSecretsDropsGraphicsPasswords() throws IOException {
        DomainDef def = DomainXml.parse(resource("graphics-in.xml"));

        assertThat(DomainXml.format(def)).contains("passwd='s3cret'");
        assertThat(DomainXml.format(def, EnumSet.of(FormatFlag.HIDE_SECRETS))).doesNotContain("s3cret");
    }

    @Test
    void aliasesCanBeAssignedAndShowOnlyInLiveXml() {
        DomainDef def = DomainXml.parse(BARE);
        DomainDef live = def.withId(1)
                .withDevices(def.devices().stream()
                        .map(d -> d.withInfo(d.info().withAlias("net0")))
                        .toList());

        assertThat(DomainXml.format(live)).contains("<alias name='net0'/>");
        assertThat(DomainXml.format(live, EnumSet.of(FormatFlag.INACTIVE))).doesNotContain("alias");
    }

    @Test
    void unknownElementsKeepTheirPlaceAmongModelledOnes() throws IOException {
        DomainDef def = DomainXml.parse(resource("unknown-in.xml"));

        assertThat(def.extras())
                .extracting(PlacedElement::after, p -> p.element().name())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("description", "metadata"),
                        org.assertj.core.groups.Tuple.tuple("vcpu", "iothreads"),
                        org.assertj.core.groups.Tuple.tuple("features", "cpu"),
                        org.assertj.core.groups.Tuple.tuple("on_crash", "pm"),
                        org.assertj.core.groups.Tuple.tuple("devices", "seclabel"),
                        org.assertj.core.groups.Tuple.tuple("devices", "qemu:commandline"));
        assertThat(def.devices())
                .extracting(d -> d instanceof UnknownDevice u
                        ? u.element().name()
                        : d.getClass().getSimpleName())
                .containsExactly("UsbControllerDef", "CharDeviceDef", "input", "rng", "MemballoonDef");
        assertThat(def.features()).containsExactly("acpi", "apic", "pae", "hyperv", "vmport");
        assertThat(def.clock().offset()).isEqualTo("localtime");
    }

    @Test
    void currentMemoryAboveMemoryIsLowered() {
        DomainDef def = DomainXml.parse(BARE.replace("<os>", "<currentMemory unit='GiB'>1</currentMemory><os>"));

        assertThat(def.currentMemoryKiB()).isEqualTo(def.memoryKiB()).isEqualTo(64 * 1024);
    }
}

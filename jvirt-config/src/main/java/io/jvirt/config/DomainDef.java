package io.jvirt.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A domain definition: the part of libvirt's domain XML that jvirt understands, plus everything else kept
 * for writing back ({@code extras}: unknown children of {@code <domain>} with their place; {@code unknown}:
 * unknown attributes and children of the modelled non-device elements, keyed by element name;
 * devices carry their own). Immutable; build changed copies with the {@code with*} methods.
 *
 * @param id               the running domain's id, -1 when inactive (written only in live XML)
 * @param title            one line, or null
 * @param description      free text, or null
 * @param memoryKiB        maximum memory ({@code <memory>}), KiB
 * @param currentMemoryKiB memory at boot ({@code <currentMemory>}), KiB, at most {@code memoryKiB}
 * @param features         {@code <features>} children in order ({@code acpi}, {@code apic}, {@code pae}...);
 *                         their attributes and content are kept under {@code unknown} key {@code features}
 * @param emulator         the QEMU binary, or null for the driver's default
 * @param devices          the children of {@code <devices>} other than the emulator, in document order
 */
public record DomainDef(
        DomainType type,
        int id,
        String name,
        UUID uuid,
        String title,
        String description,
        long memoryKiB,
        long currentMemoryKiB,
        VcpuDef vcpu,
        OsDef os,
        List<String> features,
        ClockDef clock,
        LifecycleAction onPoweroff,
        LifecycleAction onReboot,
        LifecycleAction onCrash,
        String emulator,
        List<DeviceDef> devices,
        List<PlacedElement> extras,
        UnknownXml unknown) {
    public DomainDef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(vcpu, "vcpu");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(onPoweroff, "onPoweroff");
        Objects.requireNonNull(onReboot, "onReboot");
        Objects.requireNonNull(onCrash, "onCrash");
        features = List.copyOf(features);
        devices = List.copyOf(devices);
        extras = List.copyOf(extras);
        Objects.requireNonNull(unknown, "unknown");
    }

    /** The number of vCPUs. */
    public int vcpus() {
        return vcpu.count();
    }

    public boolean isActive() {
        return id >= 0;
    }

    public boolean hasFeature(String feature) {
        return features.contains(feature);
    }

    public List<DiskDef> disks() {
        return devicesOf(DiskDef.class);
    }

    public List<GraphicsDef> graphics() {
        return devicesOf(GraphicsDef.class);
    }

    public List<InterfaceDef> interfaces() {
        return devicesOf(InterfaceDef.class);
    }

    public List<VideoDef> videos() {
        return devicesOf(VideoDef.class);
    }

    public List<CharDeviceDef> serials() {
        return charDevices(CharDeviceKind.SERIAL);
    }

    public List<CharDeviceDef> consoles() {
        return charDevices(CharDeviceKind.CONSOLE);
    }

    /** The balloon, if the definition has one ({@code model='none'} counts: it says "no balloon"). */
    public Optional<MemballoonDef> memballoon() {
        return devicesOf(MemballoonDef.class).stream().findFirst();
    }

    /** All devices of one kind, in document order. */
    public <T extends DeviceDef> List<T> devicesOf(Class<T> kind) {
        return devices.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public DomainDef withId(int newId) {
        return new DomainDef(
                type,
                newId,
                name,
                uuid,
                title,
                description,
                memoryKiB,
                currentMemoryKiB,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                devices,
                extras,
                unknown);
    }

    /** This definition with other maximum and current memory, in KiB. */
    public DomainDef withMemory(long newMemoryKiB, long newCurrentMemoryKiB) {
        return new DomainDef(
                type,
                id,
                name,
                uuid,
                title,
                description,
                newMemoryKiB,
                newCurrentMemoryKiB,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                devices,
                extras,
                unknown);
    }

    public DomainDef withVcpu(VcpuDef newVcpu) {
        return new DomainDef(
                type,
                id,
                name,
                uuid,
                title,
                description,
                memoryKiB,
                currentMemoryKiB,
                newVcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                devices,
                extras,
                unknown);
    }

    /** This definition with another title and description (null: none). */
    public DomainDef withTitleAndDescription(String newTitle, String newDescription) {
        return new DomainDef(
                type,
                id,
                name,
                uuid,
                newTitle,
                newDescription,
                memoryKiB,
                currentMemoryKiB,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                devices,
                extras,
                unknown);
    }

    /** This definition with other unmodelled children of {@code <domain>} ({@code <metadata>} among them). */
    public DomainDef withExtras(List<PlacedElement> newExtras) {
        return new DomainDef(
                type,
                id,
                name,
                uuid,
                title,
                description,
                memoryKiB,
                currentMemoryKiB,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                devices,
                newExtras,
                unknown);
    }

    public DomainDef withUuid(UUID newUuid) {
        return new DomainDef(
                type,
                id,
                name,
                newUuid,
                title,
                description,
                memoryKiB,
                currentMemoryKiB,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                devices,
                extras,
                unknown);
    }

    public DomainDef withName(String newName) {
        return new DomainDef(
                type,
                id,
                newName,
                uuid,
                title,
                description,
                memoryKiB,
                currentMemoryKiB,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                devices,
                extras,
                unknown);
    }

    public DomainDef withDevices(List<DeviceDef> newDevices) {
        return new DomainDef(
                type,
                id,
                name,
                uuid,
                title,
                description,
                memoryKiB,
                currentMemoryKiB,
                vcpu,
                os,
                features,
                clock,
                onPoweroff,
                onReboot,
                onCrash,
                emulator,
                newDevices,
                extras,
                unknown);
    }

    /**
     * This definition with its graphics devices replaced, one for one in order (e.g. with the ports QEMU got
     * for live XML).
     *
     * @throws IllegalArgumentException when the count differs from {@link #graphics()}
     */
    public DomainDef withGraphics(List<GraphicsDef> newGraphics) {
        if (newGraphics.size() != graphics().size()) {
            throw new IllegalArgumentException(
                    "domain '" + name + "' has " + graphics().size() + " graphics devices, not " + newGraphics.size());
        }
        Iterator<GraphicsDef> next = newGraphics.iterator();
        List<DeviceDef> out = new ArrayList<>(devices.size());
        for (DeviceDef d : devices) {
            out.add(d instanceof GraphicsDef ? next.next() : d);
        }
        return withDevices(out);
    }

    private List<CharDeviceDef> charDevices(CharDeviceKind kind) {
        return devicesOf(CharDeviceDef.class).stream()
                .filter(c -> c.kind() == kind)
                .toList();
    }
}

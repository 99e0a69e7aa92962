package io.jvirt.config;

import java.util.Objects;

/**
 * {@code <interface>}: a guest NIC and what backs it on the host.
 *
 * @param type          user, bridge or ethernet
 * @param mac           lower-case {@code xx:xx:xx:xx:xx:xx} (generated in QEMU's 52:54:00 range when absent)
 * @param modelType     {@code <model type=>} (virtio, e1000, …), or null
 * @param sourceBridge  {@code <source bridge=>} of a bridge interface, else null
 * @param targetDev     {@code <target dev=>}: the host tap's name, or null for one the kernel names from
 *                      {@value #GENERATED_PREFIX}N; a live definition carries the name the tap got
 * @param targetManaged {@code <target managed=>}: false for an existing tap jvirt must not create (ethernet), or
 *                      null when absent
 * @param mtu           {@code <mtu size=>}, or null (then a bridge's tap takes the bridge's MTU)
 * @param linkState     {@code <link state=>}, or null (up)
 */
public record InterfaceDef(
        InterfaceType type,
        String mac,
        String modelType,
        String sourceBridge,
        String targetDev,
        Boolean targetManaged,
        Integer mtu,
        LinkState linkState,
        DeviceInfo info,
        UnknownXml unknown)
        implements DeviceDef {
    /**
     * The prefix of tap names the kernel generates for jvirt (as for libvirt): such a name belongs to one run, so
     * inactive XML leaves it out and a start asks for a fresh one.
     */
    public static final String GENERATED_PREFIX = "vnet";

    public InterfaceDef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    /** A user-mode interface with only a MAC and a model. */
    public static InterfaceDef user(String mac, String modelType) {
        return new InterfaceDef(
                InterfaceType.USER, mac, modelType, null, null, null, null, null, DeviceInfo.NONE, UnknownXml.NONE);
    }

    @Override
    public InterfaceDef withInfo(DeviceInfo newInfo) {
        return new InterfaceDef(
                type, mac, modelType, sourceBridge, targetDev, targetManaged, mtu, linkState, newInfo, unknown);
    }

    /** This interface with its host tap named {@code dev}. */
    public InterfaceDef withTargetDev(String dev) {
        return new InterfaceDef(type, mac, modelType, sourceBridge, dev, targetManaged, mtu, linkState, info, unknown);
    }

    /** True for an existing tap jvirt opens but neither creates, configures nor removes. */
    public boolean unmanagedTap() {
        return Boolean.FALSE.equals(targetManaged);
    }

    /** True when the tap name is one the kernel generated (or a template), which a new run does not keep. */
    public boolean hasGeneratedTargetDev() {
        return !unmanagedTap()
                && (targetDev == null || targetDev.startsWith(GENERATED_PREFIX) || targetDev.contains("%"));
    }

    /** Whether QEMU's device for this NIC is virtio-net (also when no model is given, jvirt's default). */
    public boolean isVirtio() {
        return modelType == null || modelType.equals("virtio");
    }
}

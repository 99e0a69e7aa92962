package io.jvirt.config;

import java.util.Objects;

/**
 * {@code <controller type='scsi'>}: a SCSI host adapter that SCSI disks attach to by its {@code index} (their
 * drive address's {@code controller}); {@code model} is null when not given. Other controller types stay
 * {@link UnknownDevice}s. libvirt adds one for each index a SCSI disk needs; so does the parser.
 */
public record ControllerDef(int index, String model, DeviceInfo info, UnknownXml unknown) implements DeviceDef {
    /** The model jvirt gives the SCSI controllers it adds, and the only one its QEMU command line knows. */
    public static final String VIRTIO_SCSI = "virtio-scsi";

    public ControllerDef {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    /** The controller type, always {@code scsi}. */
    public String type() {
        return "scsi";
    }

    @Override
    public ControllerDef withInfo(DeviceInfo newInfo) {
        return new ControllerDef(index, model, newInfo, unknown);
    }
}

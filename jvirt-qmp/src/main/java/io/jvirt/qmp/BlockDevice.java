package io.jvirt.qmp;

/**
 * One entry of {@code query-block}: a block backend, the guest device it is attached to and the top node of what
 * is inserted. With {@code -drive} the backend has a name ({@code device}, e.g. {@code drive-virtio-disk0}) and QEMU
 * names the node itself ({@code #block123}); with {@code -blockdev} the backend has no name and the node is the one
 * the command line named. Either way {@link #nodeName()} is what block jobs and exports take.
 *
 * @param device      the backend's name, empty with {@code -blockdev}
 * @param qdev        the guest device's id, or its QOM path when QEMU reports one
 *                    ({@code /machine/peripheral/virtio-disk0/virtio-backend})
 * @param nodeName    the top node of the inserted medium, null when nothing is inserted
 * @param file        the inserted image's file name, null when nothing is inserted
 * @param format      the top node's driver ({@code qcow2}, {@code raw}), null when nothing is inserted
 * @param virtualSize the guest-visible size in bytes, 0 when nothing is inserted
 * @param readOnly    whether the inserted medium is read-only
 */
public record BlockDevice(
        String device, String qdev, String nodeName, String file, String format, long virtualSize, boolean readOnly) {

    /**
     * Whether this backend belongs to the guest device with id {@code alias} (e.g. {@code virtio-disk0}): its qdev is
     * that id or a QOM path below {@code /machine/peripheral/<alias>}, or (with {@code -drive}) its name is libvirt's
     * {@code drive-<alias>}.
     */
    public boolean belongsTo(String alias) {
        String peripheral = "/machine/peripheral/" + alias;
        return alias.equals(qdev)
                || peripheral.equals(qdev)
                || (qdev != null && qdev.startsWith(peripheral + "/"))
                || ("drive-" + alias).equals(device);
    }
}

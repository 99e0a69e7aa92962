/**
 * Devices of a domain after it is defined: hot-plug and unplug ({@code virsh attach-device}, {@code detach-device}),
 * edits of the persistent definition for {@code --config}, and what users look at ({@code domblkstat},
 * {@code domblkinfo}, {@code domifstat}, {@code domifaddr}). It sits above {@code lifecycle} (whose
 * {@link io.jvirt.driver.lifecycle.DeviceRemoval} finishes an unplug, also when QEMU's event comes late) and is
 * called from the driver's root package. QEMU is reached through {@link io.jvirt.qmp.Monitor} only.
 */
package io.jvirt.driver.device;

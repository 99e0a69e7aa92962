/**
 * Consoles: a client's stream joined to a guest's serial port on a pseudo-terminal ({@code virsh console}), one
 * client per terminal unless another takes it by force, as libvirt's character-device locking has it.
 */
package io.jvirt.driver.console;

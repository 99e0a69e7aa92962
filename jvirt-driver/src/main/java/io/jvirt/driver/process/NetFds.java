package io.jvirt.driver.process;

/**
 * The fd numbers QEMU knows one NIC's backend by: its tap and, when vhost-net is used, the vhost-net device.
 *
 * @param tapFd   QEMU's fd of the tap
 * @param vhostFd QEMU's fd of /dev/vhost-net, or null for none
 */
public record NetFds(int tapFd, Integer vhostFd) {}

package io.jvirt.api;

/**
 * {@code virDomainBlockInfo}: a disk's sizes in bytes.
 *
 * @param capacity   what the guest sees (the image's virtual size)
 * @param allocation what the image uses on the host (for a file: its allocated blocks; for a growing qcow2 of a
 *                   running guest, QEMU's highest written offset)
 * @param physical   the host storage holding the image (for a file: its size)
 */
public record BlockInfo(long capacity, long allocation, long physical) {}

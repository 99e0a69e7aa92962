package io.jvirt.qmp;

/** The reply to {@code add-fd}: the fd set the fd joined and the fd's number inside QEMU. */
public record AddFdResult(int fdsetId, int fd) {}

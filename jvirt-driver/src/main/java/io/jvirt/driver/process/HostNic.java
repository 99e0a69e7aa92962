package io.jvirt.driver.process;

import io.jvirt.nativeio.NativeFds;
import io.jvirt.nativeio.Tap;

/**
 * The host side of one tap-backed guest NIC while its QEMU starts: the tap (fd and the name it got) and a
 * vhost-net fd (or -1). Closing it closes jvirt's copies only; once QEMU holds its own, the tap stays until QEMU
 * ends. One start, one thread.
 *
 * @param alias the NIC's device alias ({@code net0})
 */
public record HostNic(String alias, Tap tap, int vhostFd) implements AutoCloseable {
    @Override
    public void close() {
        tap.close();
        if (vhostFd >= 0) {
            NativeFds.closeQuietly(vhostFd);
        }
    }
}

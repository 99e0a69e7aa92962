package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A tap device opened through /dev/net/tun ({@code TUNSETIFF} with IFF_TAP and IFF_NO_PI, and IFF_VNET_HDR when
 * asked for). A tap this creates is not persistent: the kernel removes it when the last fd on it closes, so once
 * its fd has been handed to QEMU and closed here, the tap lives exactly as long as QEMU. Opening the name of an
 * existing persistent tap attaches to it instead (which then outlives its fds). The fd is close-on-exec; a child
 * gets it only through an explicit dup2 ({@link ChildProcess}). Calls block briefly in the kernel; not thread-safe.
 */
public final class Tap implements AutoCloseable {
    private static final String TUN = "/dev/net/tun";
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;

    private final int fd;
    private final String name;
    private boolean closed;

    private Tap(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Opens tap {@code nameOrTemplate}: a name (created if it does not exist) or a template such as
     * {@code vnet%d}, for which the kernel picks the first free number.
     *
     * @throws IllegalArgumentException when the name is longer than 15 bytes
     */
    public static Tap open(String nameOrTemplate, boolean vnetHeader) throws NativeIOException {
        int fd = Libc.open(TUN, Libc.O_RDWR | Libc.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = IfReq.named(arena, nameOrTemplate);
            short flags = (short) (IFF_TAP | IFF_NO_PI | (vnetHeader ? IFF_VNET_HDR : 0));
            ifr.set(JAVA_SHORT, IfReq.UNION, flags);
            Libc.ioctl("ioctl(TUNSETIFF)", fd, TUNSETIFF, ifr);
            return new Tap(fd, IfReq.name(ifr));
        } catch (NativeIOException | RuntimeException e) {
            NativeFds.closeQuietly(fd);
            throw e;
        }
    }

    /** The interface's name, as the kernel gave it. */
    public String name() {
        return name;
    }

    /** The tap's fd, while open. */
    public int fd() {
        return fd;
    }

    /** Idempotent. Closing the last fd of a non-persistent tap removes the interface. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeFds.closeQuietly(fd);
        }
    }
}

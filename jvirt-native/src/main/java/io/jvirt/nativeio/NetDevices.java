package io.jvirt.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Host network interfaces by name, through ioctls on a throwaway AF_UNIX datagram socket (as libvirt does; no
 * IPv4 needed): existence, MTU, MAC, up, and bridge ports. Each failure is a {@link NativeIOException} carrying
 * errno, for the caller to word. Stateless; calls block briefly in the kernel.
 */
public final class NetDevices {
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCSIFMTU = 0x8922;
    private static final long SIOCSIFHWADDR = 0x8924;
    private static final long SIOCBRADDIF = 0x89a2;
    private static final short IFF_UP = 0x1;
    private static final short ARPHRD_ETHER = 1;
    private static final int ENODEV = 19;
    private static final MethodHandle IF_NAMETOINDEX =
            Libc.bind("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private NetDevices() {}

    /** The interface's index; a missing interface is a NativeIOException with ENODEV. */
    public static int index(String name) throws NativeIOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocateFrom(name);
            int index = (int) Libc.run("if_nametoindex", false, s -> {
                int i = (int) IF_NAMETOINDEX.invokeExact(s, n);
                return i == 0 ? -1 : i;
            });
            return index;
        }
    }

    /** Whether an interface of that name exists. */
    public static boolean exists(String name) throws NativeIOException {
        try {
            index(name);
            return true;
        } catch (NativeIOException e) {
            if (e.errno() == ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /** SIOCGIFMTU. */
    public static int mtu(String name) throws NativeIOException {
        return withRequest(name, "ioctl(SIOCGIFMTU)", SIOCGIFMTU, ifr -> {}).get(JAVA_INT, IfReq.UNION);
    }

    /** SIOCSIFMTU. */
    public static void setMtu(String name, int mtu) throws NativeIOException {
        withRequest(name, "ioctl(SIOCSIFMTU)", SIOCSIFMTU, ifr -> ifr.set(JAVA_INT, IfReq.UNION, mtu));
    }

    /** SIOCSIFHWADDR with an Ethernet address of 6 bytes. */
    public static void setMac(String name, byte[] mac) throws NativeIOException {
        if (mac.length != 6) {
            throw new IllegalArgumentException("an Ethernet MAC has 6 bytes, got " + mac.length);
        }
        withRequest(name, "ioctl(SIOCSIFHWADDR)", SIOCSIFHWADDR, ifr -> {
            // struct sockaddr: sa_family, then the address in sa_data
            ifr.set(JAVA_SHORT, IfReq.UNION, ARPHRD_ETHER);
            MemorySegment.copy(mac, 0, ifr, JAVA_BYTE, IfReq.UNION + 2, 6);
        });
    }

    /** Sets IFF_UP, keeping the other flags (SIOCGIFFLAGS then SIOCSIFFLAGS). */
    public static void setUp(String name) throws NativeIOException {
        short flags = withRequest(name, "ioctl(SIOCGIFFLAGS)", SIOCGIFFLAGS, ifr -> {})
                .get(JAVA_SHORT, IfReq.UNION);
        if ((flags & IFF_UP) == 0) {
            short up = (short) (flags | IFF_UP);
            withRequest(name, "ioctl(SIOCSIFFLAGS)", SIOCSIFFLAGS, ifr -> ifr.set(JAVA_SHORT, IfReq.UNION, up));
        }
    }

    /** Makes {@code port} a port of {@code bridge} (SIOCBRADDIF). */
    public static void addToBridge(String bridge, String port) throws NativeIOException {
        int index = index(port);
        withRequest(bridge, "ioctl(SIOCBRADDIF)", SIOCBRADDIF, ifr -> ifr.set(JAVA_INT, IfReq.UNION, index));
    }

    @FunctionalInterface
    private interface Fill {
        void fill(MemorySegment ifr);
    }

    /** Runs one ioctl on a fresh ifreq for {@code name}; returns a heap copy of the ifreq afterwards. */
    private static MemorySegment withRequest(String name, String call, long request, Fill fill)
            throws NativeIOException {
        int sock = Libc.socket(Libc.AF_UNIX, SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = IfReq.named(arena, name);
            fill.fill(ifr);
            Libc.ioctl(call, sock, request, ifr);
            MemorySegment copy =
                    MemorySegment.ofArray(new long[(int) IfReq.SIZE / 8]); // 8-aligned, as the ints in it need
            copy.copyFrom(ifr);
            return copy;
        } finally {
            NativeFds.closeQuietly(sock);
        }
    }
}

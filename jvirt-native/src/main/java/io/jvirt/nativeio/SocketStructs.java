package io.jvirt.nativeio;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The C structs of the socket calls (sockaddr_un, iovec, msghdr, cmsghdr), laid out for LP64 Linux. */
final class SocketStructs {
    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;
    /** SCM_MAX_FD: the kernel never passes more fds than this in one message, so a buffer this big cannot truncate. */
    static final int MAX_FDS = 253;

    static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("family"),
            MemoryLayout.sequenceLayout(108, JAVA_BYTE).withName("path"));
    static final StructLayout IOVEC = MemoryLayout.structLayout(ADDRESS.withName("base"), JAVA_LONG.withName("len"));
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("name"),
            JAVA_INT.withName("namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("iov"),
            JAVA_LONG.withName("iovlen"),
            ADDRESS.withName("control"),
            JAVA_LONG.withName("controllen"),
            JAVA_INT.withName("flags"),
            MemoryLayout.paddingLayout(4));
    private static final long MSG_IOV = MSGHDR.byteOffset(groupElement("iov"));
    private static final long MSG_IOVLEN = MSGHDR.byteOffset(groupElement("iovlen"));
    private static final long MSG_CONTROL = MSGHDR.byteOffset(groupElement("control"));
    private static final long MSG_CONTROLLEN = MSGHDR.byteOffset(groupElement("controllen"));
    private static final long MSG_FLAGS = MSGHDR.byteOffset(groupElement("flags"));
    /** struct cmsghdr: size_t len; int level; int type; then data, aligned to 8. */
    private static final long CMSG_HEADER = 16;

    private SocketStructs() {}

    static MemorySegment unixAddress(Arena arena, Path path) throws NativeIOException {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES) {
            throw new NativeIOException(
                    "sockaddr_un", 36, "socket path longer than " + MAX_PATH_BYTES + " bytes: " + path);
        }
        MemorySegment address = arena.allocate(SOCKADDR_UN);
        address.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, 2, bytes.length);
        return address;
    }

    static long cmsgSpace(int fdCount) {
        return align(CMSG_HEADER + 4L * fdCount);
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** A msghdr with one iovec over {@code data[0..length)} and, if given, a control buffer. */
    static MemorySegment message(Arena arena, MemorySegment data, long length, MemorySegment control) {
        MemorySegment iov = arena.allocate(IOVEC);
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, length);
        MemorySegment msg = arena.allocate(MSGHDR);
        msg.set(ADDRESS, MSG_IOV, iov);
        msg.set(JAVA_LONG, MSG_IOVLEN, 1L);
        if (control != null) {
            msg.set(ADDRESS, MSG_CONTROL, control);
            msg.set(JAVA_LONG, MSG_CONTROLLEN, control.byteSize());
        }
        return msg;
    }

    /** A control buffer holding one SCM_RIGHTS message with {@code fds}. */
    static MemorySegment rights(Arena arena, int[] fds) {
        if (fds.length > MAX_FDS) {
            throw new IllegalArgumentException("at most " + MAX_FDS + " fds per message, got " + fds.length);
        }
        MemorySegment control = arena.allocate(cmsgSpace(fds.length), 8);
        control.set(JAVA_LONG, 0, CMSG_HEADER + 4L * fds.length);
        control.set(JAVA_INT, 8, Libc.SOL_SOCKET);
        control.set(JAVA_INT, 12, Libc.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            control.set(JAVA_INT, CMSG_HEADER + 4L * i, fds[i]);
        }
        return control;
    }

    static int flags(MemorySegment msg) {
        return msg.get(JAVA_INT, MSG_FLAGS);
    }

    /** The fds of every SCM_RIGHTS message in the control data recvmsg filled in. */
    static List<Integer> receivedFds(MemorySegment msg, MemorySegment control) {
        long used = Math.min(msg.get(JAVA_LONG, MSG_CONTROLLEN), control.byteSize());
        List<Integer> fds = new ArrayList<>();
        long offset = 0;
        while (offset + CMSG_HEADER <= used) {
            long length = control.get(JAVA_LONG, offset);
            if (length < CMSG_HEADER || offset + length > used) {
                break;
            }
            if (control.get(JAVA_INT, offset + 8) == Libc.SOL_SOCKET
                    && control.get(JAVA_INT, offset + 12) == Libc.SCM_RIGHTS) {
                for (long at = offset + CMSG_HEADER; at + 4 <= offset + length; at += 4) {
                    fds.add(control.get(JAVA_INT, at));
                }
            }
            offset += align(length);
        }
        return List.copyOf(fds);
    }
}

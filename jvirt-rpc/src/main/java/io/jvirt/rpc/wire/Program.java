package io.jvirt.rpc.wire;

import java.util.Optional;

/**
 * The RPC programs a libvirt peer may address. Every one is at version 1. The libvirt client registers
 * REMOTE, QEMU and LXC on each connection and always answers keepalive; ADMIN lives on a separate socket;
 * JVIRT is jvirt's private extension.
 */
public enum Program {
    REMOTE(0x20008086, 1),
    QEMU(0x20008087, 1),
    LXC(0x00068000, 1),
    /** ASCII "keep". */
    KEEPALIVE(0x6b656570, 1),
    ADMIN(0x06900690, 1),
    /**
     * jvirt's own calls between jvirt daemons (ASCII "JVIR"), used only after the peer announced them with a
     * jvirt feature; libvirtd answers any call to it as to an unknown program.
     */
    JVIRT(0x4a564952, 1);

    private final int number;
    private final int version;

    Program(int number, int version) {
        this.number = number;
        this.version = version;
    }

    public int number() {
        return number;
    }

    public int version() {
        return version;
    }

    /** Whether a header addresses this program at its version. */
    public boolean matches(Header h) {
        return h.program() == number && h.version() == version;
    }

    public static Optional<Program> fromWire(int number) {
        for (Program p : values()) {
            if (p.number == number) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

package io.jvirt.rpc.wire;

import java.nio.ByteBuffer;

/**
 * The keepalive program: MESSAGE packets with status OK, serial 0 and no payload (28-byte frames). Every peer
 * answers PING with PONG, negotiated or not; unknown keepalive procedures are ignored.
 */
public final class Keepalive {
    private Keepalive() {}

    /** {@code KEEPALIVE_PROC_PING}. */
    public static final int PING = 1;
    /** {@code KEEPALIVE_PROC_PONG}. */
    public static final int PONG = 2;

    public static Message ping() {
        return packet(PING);
    }

    public static Message pong() {
        return packet(PONG);
    }

    public static boolean isPing(Header h) {
        return is(h, PING);
    }

    public static boolean isPong(Header h) {
        return is(h, PONG);
    }

    private static boolean is(Header h, int proc) {
        return Program.KEEPALIVE.matches(h) && h.type() == MessageType.MESSAGE && h.procedure() == proc;
    }

    private static Message packet(int proc) {
        return new Message(Header.message(Program.KEEPALIVE, proc, 0), ByteBuffer.allocate(0));
    }
}

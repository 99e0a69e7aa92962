package io.jvirt.rpc.proto;

import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.xdr.XdrCodec;

/**
 * One procedure of the REMOTE program as {@code remote_protocol.x} declares it: its number and name, whether
 * libvirtd runs it on the high-priority workers, what kind of message it is, and the codecs of its args and
 * ret structs ({@code Void} for void). For an event the args codec is the message struct.
 *
 * @param <A> the args (or event message) type
 * @param <R> the ret type
 */
public record Procedure<A, R>(
        int number, String name, Priority priority, Kind kind, XdrCodec<A> args, XdrCodec<R> ret) {

    /** {@code @priority} in the .x file: high ones never block on a hypervisor monitor. */
    public enum Priority {
        HIGH,
        LOW
    }

    /** How the procedure travels. */
    public enum Kind {
        /** CALL then REPLY. */
        CALL,
        /** CALL then REPLY, then the client sends stream data ({@code @writestream}). */
        CALL_WRITE_STREAM,
        /** CALL then REPLY, then the server sends stream data ({@code @readstream}). */
        CALL_READ_STREAM,
        /** A MESSAGE from server to client; no reply. */
        EVENT
    }

    /** The header of a call to this procedure. */
    public Header callHeader(int serial) {
        return Header.call(Program.REMOTE, number, serial);
    }

    /** A complete call message. */
    public Message call(int serial, A arguments) {
        return Message.of(callHeader(serial), args, arguments);
    }

    /** A complete event message; libvirtd sends events with serial 1. */
    public Message event(int serial, A message) {
        return Message.of(Header.message(Program.REMOTE, number, serial), args, message);
    }

    /** The args carried by a call (or the struct carried by an event). */
    public A decodeArgs(Message m) {
        return m.decode(args);
    }

    /** The ret carried by a successful reply. */
    public R decodeRet(Message m) {
        return m.decode(ret);
    }

    @Override
    public String toString() {
        return name + "(" + number + ")";
    }
}

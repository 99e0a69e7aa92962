package io.jvirt.rpc.wire;

/** Sizes from libvirt's {@code virnetprotocol.x} (libvirt 9.0 through 11.x). */
public final class MessageLimits {
    private MessageLimits() {}

    /** {@code VIR_NET_MESSAGE_LEN_MAX}: the length word, which counts itself. */
    public static final int LENGTH_WORD = 4;
    /** {@code VIR_NET_MESSAGE_HEADER_MAX}: six 4-byte words. */
    public static final int HEADER = 24;
    /** {@code VIR_NET_MESSAGE_INITIAL}: where an encode buffer starts (plus the length word). */
    public static final int INITIAL = 65_536;
    /** {@code VIR_NET_MESSAGE_MAX}: header plus payload, the length word not counted. */
    public static final int MAX = 33_554_432;
    /** {@code VIR_NET_MESSAGE_PAYLOAD_MAX}. */
    public static final int PAYLOAD_MAX = MAX - HEADER;
    /** {@code VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX}: the largest stream data chunk libvirt itself sends. */
    public static final int LEGACY_PAYLOAD_MAX = 262_120;
    /** What a sender should put in one stream data packet; receivers accept up to {@link #PAYLOAD_MAX}. */
    public static final int STREAM_CHUNK_MAX = LEGACY_PAYLOAD_MAX;
    /** {@code VIR_NET_MESSAGE_STRING_MAX}. */
    public static final int STRING_MAX = 4_194_304;
    /** {@code VIR_NET_MESSAGE_NUM_FDS_MAX}: fds passed with one *_WITH_FDS message. */
    public static final int NUM_FDS_MAX = 32;
    /** The smallest frame: length word and header, empty payload. */
    public static final int MIN_FRAME = LENGTH_WORD + HEADER;
}

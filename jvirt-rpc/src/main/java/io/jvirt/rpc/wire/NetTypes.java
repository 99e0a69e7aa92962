package io.jvirt.rpc.wire;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrCodecs;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The struct types {@code virnetprotocol.x} and {@code remote_protocol.x} share: long strings, the raw
 * 16-byte UUID, the domain and network handles. Both files bound strings at 4 MiB.
 */
public final class NetTypes {
    private NetTypes() {}

    /** {@code VIR_UUID_BUFLEN}. */
    public static final int UUID_BYTES = 16;

    /** {@code remote_nonnull_string}. */
    public static final XdrCodec<String> STRING = XdrCodecs.string(MessageLimits.STRING_MAX);
    /** {@code remote_string}: a nullable string. */
    public static final XdrCodec<String> OPTIONAL_STRING = STRING.optional();
    /** {@code remote_uuid}: 16 raw bytes. */
    public static final XdrCodec<UUID> UUID_CODEC = XdrCodec.of(NetTypes::writeUuid, NetTypes::readUuid);
    /** {@code remote_nonnull_domain}: name, uuid, id ({@code -1} while inactive). */
    public static final XdrCodec<DomainRef> DOMAIN = XdrCodec.of(NetTypes::writeDomain, NetTypes::readDomain);
    /** {@code remote_domain}: a nullable domain. */
    public static final XdrCodec<DomainRef> OPTIONAL_DOMAIN = DOMAIN.optional();
    /** {@code remote_nonnull_network}: name, uuid. */
    public static final XdrCodec<NetworkRef> NETWORK = XdrCodec.of(
            (out, n) -> {
                STRING.encode(out, n.name());
                UUID_CODEC.encode(out, n.uuid());
            },
            in -> new NetworkRef(STRING.decode(in), UUID_CODEC.decode(in)));

    /** A network handle; only the error struct carries one, and libvirt leaves it unset there. */
    public record NetworkRef(String name, UUID uuid) {}

    private static void writeUuid(XdrWriter out, UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(UUID_BYTES);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        out.writeFixedOpaque(b.array(), UUID_BYTES);
    }

    private static UUID readUuid(XdrReader in) {
        ByteBuffer b = ByteBuffer.wrap(in.readFixedOpaque(UUID_BYTES));
        return new UUID(b.getLong(), b.getLong());
    }

    private static void writeDomain(XdrWriter out, DomainRef d) {
        STRING.encode(out, d.name());
        UUID_CODEC.encode(out, d.uuid());
        out.writeInt(d.id());
    }

    private static DomainRef readDomain(XdrReader in) {
        return new DomainRef(STRING.decode(in), UUID_CODEC.decode(in), in.readInt());
    }
}

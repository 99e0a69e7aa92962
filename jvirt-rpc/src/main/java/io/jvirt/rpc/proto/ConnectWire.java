package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.OPTIONAL_STRING;

import io.jvirt.api.DomainRef;
import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;

/** Connection-level structs of {@code remote_protocol.x}, fields in wire order. */
public final class ConnectWire {
    private ConnectWire() {}

    /** {@code remote_connect_open_args}: name may be null; flags bit 0 = read-only. */
    public record OpenArgs(String name, int flags) {
        public static final XdrCodec<OpenArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    OPTIONAL_STRING.encode(out, v.name);
                    out.writeInt(v.flags);
                },
                in -> new OpenArgs(OPTIONAL_STRING.decode(in), in.readInt()));
    }

    /** {@code remote_node_get_info_ret}: memory in KiB; model is {@code char[32]}, one word per char. */
    public record NodeInfo(
            String model, long memoryKiB, int cpus, int mhz, int nodes, int sockets, int cores, int threads) {
        private static final XdrCodec<String> MODEL = RemoteTypes.fixedChars(RemoteLimits.NODE_INFO_MODEL_CHARS);
        public static final XdrCodec<NodeInfo> CODEC = XdrCodec.of(
                (out, v) -> {
                    MODEL.encode(out, v.model);
                    out.writeHyper(v.memoryKiB);
                    out.writeInt(v.cpus);
                    out.writeInt(v.mhz);
                    out.writeInt(v.nodes);
                    out.writeInt(v.sockets);
                    out.writeInt(v.cores);
                    out.writeInt(v.threads);
                },
                in -> new NodeInfo(
                        MODEL.decode(in),
                        in.readHyper(),
                        in.readInt(),
                        in.readInt(),
                        in.readInt(),
                        in.readInt(),
                        in.readInt(),
                        in.readInt()));
    }

    /** {@code remote_connect_list_all_domains_args}. */
    public record ListAllDomainsArgs(int needResults, int flags) {
        public static final XdrCodec<ListAllDomainsArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.needResults);
                    out.writeInt(v.flags);
                },
                in -> new ListAllDomainsArgs(in.readInt(), in.readInt()));
    }

    /** {@code remote_connect_list_all_domains_ret}: the domains and their count. */
    public record ListAllDomainsRet(List<DomainRef> domains, int count) {
        private static final XdrCodec<List<DomainRef>> DOMAINS = DOMAIN.list(RemoteLimits.DOMAIN_LIST_MAX);
        public static final XdrCodec<ListAllDomainsRet> CODEC = XdrCodec.of(
                (out, v) -> {
                    DOMAINS.encode(out, v.domains);
                    out.writeInt(v.count);
                },
                in -> new ListAllDomainsRet(DOMAINS.decode(in), in.readInt()));
    }

    /** {@code remote_node_get_security_model_ret}: both strings are char arrays counting their NUL. */
    public record SecurityModel(String model, String doi) {
        private static final XdrCodec<String> MODEL = RemoteTypes.charArray(RemoteLimits.SECURITY_MODEL_MAX);
        private static final XdrCodec<String> DOI = RemoteTypes.charArray(RemoteLimits.SECURITY_DOI_MAX);
        public static final XdrCodec<SecurityModel> CODEC = XdrCodec.of(
                (out, v) -> {
                    MODEL.encode(out, v.model);
                    DOI.encode(out, v.doi);
                },
                in -> new SecurityModel(MODEL.decode(in), DOI.decode(in)));
    }

    /** {@code remote_connect_domain_event_callback_register_any_args}: dom null = every domain. */
    public record EventCallbackRegisterArgs(int eventId, DomainRef dom) {
        public static final XdrCodec<EventCallbackRegisterArgs> CODEC = XdrCodec.of(
                (out, v) -> {
                    out.writeInt(v.eventId);
                    OPTIONAL_DOMAIN.encode(out, v.dom);
                },
                in -> new EventCallbackRegisterArgs(in.readInt(), OPTIONAL_DOMAIN.decode(in)));
    }
}

package io.jvirt.rpc.proto;

import static io.jvirt.rpc.proto.Procedure.Priority.HIGH;
import static io.jvirt.rpc.proto.Procedure.Priority.LOW;
import static io.jvirt.rpc.proto.RemoteTypes.COOKIE;
import static io.jvirt.rpc.proto.RemoteTypes.DOMAIN;
import static io.jvirt.rpc.proto.RemoteTypes.HYPER;
import static io.jvirt.rpc.proto.RemoteTypes.INT;
import static io.jvirt.rpc.proto.RemoteTypes.STRING;
import static io.jvirt.rpc.proto.RemoteTypes.UUID_CODEC;
import static io.jvirt.rpc.proto.RemoteTypes.VOID;

import io.jvirt.api.DomainInterface;
import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import io.jvirt.rpc.proto.ConnectWire.EventCallbackRegisterArgs;
import io.jvirt.rpc.proto.ConnectWire.ListAllDomainsArgs;
import io.jvirt.rpc.proto.ConnectWire.ListAllDomainsRet;
import io.jvirt.rpc.proto.ConnectWire.NodeInfo;
import io.jvirt.rpc.proto.ConnectWire.OpenArgs;
import io.jvirt.rpc.proto.ConnectWire.SecurityModel;
import io.jvirt.rpc.proto.DomainWire.DomainFlags;
import io.jvirt.rpc.proto.DomainWire.DomainHyperFlags;
import io.jvirt.rpc.proto.DomainWire.DomainInt;
import io.jvirt.rpc.proto.DomainWire.InfoRet;
import io.jvirt.rpc.proto.DomainWire.SecurityLabel;
import io.jvirt.rpc.proto.DomainWire.StateRet;
import io.jvirt.rpc.proto.DomainWire.XmlFlags;
import io.jvirt.rpc.proto.JobWire.CallbackLifecycleEvent;
import io.jvirt.rpc.proto.JobWire.JobCompletedEvent;
import io.jvirt.rpc.proto.JobWire.JobInfoRet;
import io.jvirt.rpc.proto.JobWire.JobStatsRet;
import io.jvirt.rpc.proto.JobWire.LifecycleEvent;
import io.jvirt.rpc.proto.JobWire.MigrationIterationEvent;
import io.jvirt.rpc.proto.MigrationV2Wire.Finish2Args;
import io.jvirt.rpc.proto.MigrationV2Wire.PerformArgs;
import io.jvirt.rpc.proto.MigrationV2Wire.Prepare2Args;
import io.jvirt.rpc.proto.MigrationV2Wire.Prepare2Ret;
import io.jvirt.rpc.proto.MigrationV2Wire.PrepareTunnelArgs;
import io.jvirt.rpc.proto.MigrationWire.Begin3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Begin3ParamsRet;
import io.jvirt.rpc.proto.MigrationWire.Confirm3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsRet;
import io.jvirt.rpc.proto.MigrationWire.Perform3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Prepare3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Prepare3ParamsRet;
import io.jvirt.rpc.proto.RemoteProcedureTable.Builder;
import io.jvirt.rpc.proto.SaveWire.CoreDumpArgs;
import io.jvirt.rpc.proto.SaveWire.CoreDumpWithFormatArgs;
import io.jvirt.rpc.proto.SaveWire.ImageDefineXmlArgs;
import io.jvirt.rpc.proto.SaveWire.ImageFlagsArgs;
import io.jvirt.rpc.proto.SaveWire.RestoreFlagsArgs;
import io.jvirt.rpc.proto.SaveWire.RestoreParamsArgs;
import io.jvirt.rpc.proto.SaveWire.SaveArgs;
import io.jvirt.rpc.proto.SaveWire.SaveFlagsArgs;
import io.jvirt.rpc.proto.SaveWire.SaveParamsArgs;
import io.jvirt.rpc.xdr.XdrCodec;
import java.util.List;
import java.util.UUID;

/**
 * The REMOTE program's procedures that virsh 11.3 and a peer libvirtd send for jvirt's commands, each declared
 * once here: number, name, priority and codecs (numbers and priorities from libvirt 11.3's
 * {@code remote_protocol.x}). Procedures not listed resolve to {@link ProcedureLookup.Unknown}.
 */
public final class RemoteProcedures {
    private RemoteProcedures() {}

    private static final Builder T = new Builder();
    private static final XdrCodec<List<Integer>> AUTH_TYPES = INT.list(RemoteLimits.AUTH_TYPE_LIST_MAX);

    // Connection.
    public static final Procedure<OpenArgs, Void> CONNECT_OPEN = T.call(1, "CONNECT_OPEN", HIGH, OpenArgs.CODEC, VOID);
    public static final Procedure<Void, Void> CONNECT_CLOSE = T.call(2, "CONNECT_CLOSE", HIGH, VOID, VOID);
    public static final Procedure<Void, String> CONNECT_GET_TYPE = T.call(3, "CONNECT_GET_TYPE", HIGH, VOID, STRING);
    public static final Procedure<Void, Long> CONNECT_GET_VERSION = T.call(4, "CONNECT_GET_VERSION", HIGH, VOID, HYPER);
    public static final Procedure<Void, NodeInfo> NODE_GET_INFO =
            T.call(6, "NODE_GET_INFO", HIGH, VOID, NodeInfo.CODEC);
    public static final Procedure<Void, String> CONNECT_GET_CAPABILITIES =
            T.call(7, "CONNECT_GET_CAPABILITIES", LOW, VOID, STRING);
    public static final Procedure<Integer, List<String>> CONNECT_LIST_DEFINED_DOMAINS =
            T.call(21, "CONNECT_LIST_DEFINED_DOMAINS", HIGH, INT, STRING.list(RemoteLimits.DOMAIN_LIST_MAX));
    public static final Procedure<Void, Integer> CONNECT_NUM_OF_DEFINED_DOMAINS =
            T.call(25, "CONNECT_NUM_OF_DEFINED_DOMAINS", HIGH, VOID, INT);
    public static final Procedure<Integer, List<Integer>> CONNECT_LIST_DOMAINS =
            T.call(37, "CONNECT_LIST_DOMAINS", HIGH, INT, INT.list(RemoteLimits.DOMAIN_LIST_MAX));
    public static final Procedure<Void, Integer> CONNECT_NUM_OF_DOMAINS =
            T.call(51, "CONNECT_NUM_OF_DOMAINS", HIGH, VOID, INT);
    public static final Procedure<Void, String> CONNECT_GET_HOSTNAME =
            T.call(59, "CONNECT_GET_HOSTNAME", HIGH, VOID, STRING);
    public static final Procedure<Integer, Integer> CONNECT_SUPPORTS_FEATURE =
            T.call(60, "CONNECT_SUPPORTS_FEATURE", HIGH, INT, INT);
    /** Ret: {@code remote_auth_type} numbers, 0 none, 1 SASL, 2 polkit. */
    public static final Procedure<Void, List<Integer>> AUTH_LIST = T.call(66, "AUTH_LIST", HIGH, VOID, AUTH_TYPES);

    public static final Procedure<Void, String> CONNECT_GET_URI = T.call(110, "CONNECT_GET_URI", HIGH, VOID, STRING);
    public static final Procedure<Void, SecurityModel> NODE_GET_SECURITY_MODEL =
            T.call(122, "NODE_GET_SECURITY_MODEL", HIGH, VOID, SecurityModel.CODEC);
    public static final Procedure<Void, Integer> CONNECT_IS_SECURE = T.call(149, "CONNECT_IS_SECURE", HIGH, VOID, INT);
    public static final Procedure<Void, Long> CONNECT_GET_LIB_VERSION =
            T.call(157, "CONNECT_GET_LIB_VERSION", HIGH, VOID, HYPER);
    public static final Procedure<ListAllDomainsArgs, ListAllDomainsRet> CONNECT_LIST_ALL_DOMAINS =
            T.call(273, "CONNECT_LIST_ALL_DOMAINS", HIGH, ListAllDomainsArgs.CODEC, ListAllDomainsRet.CODEC);
    public static final Procedure<Void, Void> CONNECT_REGISTER_CLOSE_CALLBACK =
            T.call(360, "CONNECT_REGISTER_CLOSE_CALLBACK", HIGH, VOID, VOID);
    public static final Procedure<Void, Void> CONNECT_UNREGISTER_CLOSE_CALLBACK =
            T.call(361, "CONNECT_UNREGISTER_CLOSE_CALLBACK", HIGH, VOID, VOID);

    // Events.
    public static final Procedure<Integer, Void> CONNECT_DOMAIN_EVENT_REGISTER_ANY =
            T.call(167, "CONNECT_DOMAIN_EVENT_REGISTER_ANY", HIGH, INT, VOID);
    public static final Procedure<Integer, Void> CONNECT_DOMAIN_EVENT_DEREGISTER_ANY =
            T.call(168, "CONNECT_DOMAIN_EVENT_DEREGISTER_ANY", HIGH, INT, VOID);
    public static final Procedure<EventCallbackRegisterArgs, Integer> CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY =
            T.call(316, "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY", HIGH, EventCallbackRegisterArgs.CODEC, INT);
    public static final Procedure<Integer, Void> CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY =
            T.call(317, "CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY", HIGH, INT, VOID);
    public static final Procedure<LifecycleEvent, Void> DOMAIN_EVENT_LIFECYCLE =
            T.event(107, "DOMAIN_EVENT_LIFECYCLE", LifecycleEvent.CODEC);
    public static final Procedure<CallbackLifecycleEvent, Void> DOMAIN_EVENT_CALLBACK_LIFECYCLE =
            T.event(318, "DOMAIN_EVENT_CALLBACK_LIFECYCLE", CallbackLifecycleEvent.CODEC);
    public static final Procedure<MigrationIterationEvent, Void> DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION =
            T.event(359, "DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION", MigrationIterationEvent.CODEC);
    public static final Procedure<JobCompletedEvent, Void> DOMAIN_EVENT_CALLBACK_JOB_COMPLETED =
            T.event(363, "DOMAIN_EVENT_CALLBACK_JOB_COMPLETED", JobCompletedEvent.CODEC);

    // Lookup and inspection.
    public static final Procedure<Integer, DomainRef> DOMAIN_LOOKUP_BY_ID =
            T.call(22, "DOMAIN_LOOKUP_BY_ID", HIGH, INT, DOMAIN);
    public static final Procedure<String, DomainRef> DOMAIN_LOOKUP_BY_NAME =
            T.call(23, "DOMAIN_LOOKUP_BY_NAME", HIGH, STRING, DOMAIN);
    public static final Procedure<UUID, DomainRef> DOMAIN_LOOKUP_BY_UUID =
            T.call(24, "DOMAIN_LOOKUP_BY_UUID", HIGH, UUID_CODEC, DOMAIN);
    public static final Procedure<DomainFlags, String> DOMAIN_GET_XML_DESC =
            T.call(14, "DOMAIN_GET_XML_DESC", LOW, DomainFlags.CODEC, STRING);
    public static final Procedure<DomainRef, Integer> DOMAIN_GET_AUTOSTART =
            T.call(15, "DOMAIN_GET_AUTOSTART", HIGH, DOMAIN, INT);
    public static final Procedure<DomainRef, InfoRet> DOMAIN_GET_INFO =
            T.call(16, "DOMAIN_GET_INFO", LOW, DOMAIN, InfoRet.CODEC);
    public static final Procedure<DomainRef, Long> DOMAIN_GET_MAX_MEMORY =
            T.call(17, "DOMAIN_GET_MAX_MEMORY", HIGH, DOMAIN, HYPER);
    public static final Procedure<DomainRef, String> DOMAIN_GET_OS_TYPE =
            T.call(19, "DOMAIN_GET_OS_TYPE", HIGH, DOMAIN, STRING);
    public static final Procedure<DomainInt, Void> DOMAIN_SET_AUTOSTART =
            T.call(29, "DOMAIN_SET_AUTOSTART", HIGH, DomainInt.CODEC, VOID);
    public static final Procedure<DomainRef, SecurityLabel> DOMAIN_GET_SECURITY_LABEL =
            T.call(121, "DOMAIN_GET_SECURITY_LABEL", HIGH, DOMAIN, SecurityLabel.CODEC);
    public static final Procedure<DomainRef, Integer> DOMAIN_IS_ACTIVE =
            T.call(150, "DOMAIN_IS_ACTIVE", HIGH, DOMAIN, INT);
    public static final Procedure<DomainRef, Integer> DOMAIN_IS_PERSISTENT =
            T.call(151, "DOMAIN_IS_PERSISTENT", HIGH, DOMAIN, INT);
    public static final Procedure<DomainFlags, Integer> DOMAIN_SNAPSHOT_NUM =
            T.call(187, "DOMAIN_SNAPSHOT_NUM", HIGH, DomainFlags.CODEC, INT);
    public static final Procedure<DomainFlags, StateRet> DOMAIN_GET_STATE =
            T.call(212, "DOMAIN_GET_STATE", HIGH, DomainFlags.CODEC, StateRet.CODEC);
    public static final Procedure<DomainFlags, List<String>> DOMAIN_GET_MESSAGES =
            T.call(426, "DOMAIN_GET_MESSAGES", LOW, DomainFlags.CODEC, STRING.list(RemoteLimits.DOMAIN_MESSAGES_MAX));
    /** New in libvirt 11.x; layout as GET_AUTOSTART. */
    public static final Procedure<DomainRef, Integer> DOMAIN_GET_AUTOSTART_ONCE =
            T.call(449, "DOMAIN_GET_AUTOSTART_ONCE", HIGH, DOMAIN, INT);
    /** New in libvirt 11.x; layout as SET_AUTOSTART. */
    public static final Procedure<DomainInt, Void> DOMAIN_SET_AUTOSTART_ONCE =
            T.call(450, "DOMAIN_SET_AUTOSTART_ONCE", HIGH, DomainInt.CODEC, VOID);

    // Lifecycle.
    public static final Procedure<DomainRef, Void> DOMAIN_CREATE = T.call(9, "DOMAIN_CREATE", LOW, DOMAIN, VOID);
    public static final Procedure<XmlFlags, DomainRef> DOMAIN_CREATE_XML =
            T.call(10, "DOMAIN_CREATE_XML", LOW, XmlFlags.CODEC, DOMAIN);
    public static final Procedure<String, DomainRef> DOMAIN_DEFINE_XML =
            T.call(11, "DOMAIN_DEFINE_XML", HIGH, STRING, DOMAIN);
    public static final Procedure<DomainRef, Void> DOMAIN_DESTROY = T.call(12, "DOMAIN_DESTROY", HIGH, DOMAIN, VOID);
    /** {@code remote_domain_reboot_args}: dom, flags ({@code virDomainRebootFlagValues}). */
    public static final Procedure<DomainFlags, Void> DOMAIN_REBOOT =
            T.call(27, "DOMAIN_REBOOT", LOW, DomainFlags.CODEC, VOID);

    public static final Procedure<DomainRef, Void> DOMAIN_RESUME = T.call(28, "DOMAIN_RESUME", LOW, DOMAIN, VOID);
    public static final Procedure<DomainRef, Void> DOMAIN_SHUTDOWN = T.call(33, "DOMAIN_SHUTDOWN", LOW, DOMAIN, VOID);
    public static final Procedure<DomainRef, Void> DOMAIN_SUSPEND = T.call(34, "DOMAIN_SUSPEND", LOW, DOMAIN, VOID);
    public static final Procedure<DomainRef, Void> DOMAIN_UNDEFINE = T.call(35, "DOMAIN_UNDEFINE", HIGH, DOMAIN, VOID);
    public static final Procedure<DomainFlags, DomainRef> DOMAIN_CREATE_WITH_FLAGS =
            T.call(196, "DOMAIN_CREATE_WITH_FLAGS", LOW, DomainFlags.CODEC, DOMAIN);
    public static final Procedure<DomainFlags, Void> DOMAIN_UNDEFINE_FLAGS =
            T.call(231, "DOMAIN_UNDEFINE_FLAGS", HIGH, DomainFlags.CODEC, VOID);
    public static final Procedure<DomainFlags, Void> DOMAIN_DESTROY_FLAGS =
            T.call(234, "DOMAIN_DESTROY_FLAGS", HIGH, DomainFlags.CODEC, VOID);
    /** {@code remote_domain_reset_args}: dom, flags (none defined yet). */
    public static final Procedure<DomainFlags, Void> DOMAIN_RESET =
            T.call(245, "DOMAIN_RESET", LOW, DomainFlags.CODEC, VOID);

    public static final Procedure<DomainFlags, Void> DOMAIN_SHUTDOWN_FLAGS =
            T.call(258, "DOMAIN_SHUTDOWN_FLAGS", LOW, DomainFlags.CODEC, VOID);
    public static final Procedure<XmlFlags, DomainRef> DOMAIN_DEFINE_XML_FLAGS =
            T.call(350, "DOMAIN_DEFINE_XML_FLAGS", HIGH, XmlFlags.CODEC, DOMAIN);

    // Jobs.
    public static final Procedure<DomainRef, JobInfoRet> DOMAIN_GET_JOB_INFO =
            T.call(163, "DOMAIN_GET_JOB_INFO", LOW, DOMAIN, JobInfoRet.CODEC);
    public static final Procedure<DomainRef, Void> DOMAIN_ABORT_JOB =
            T.call(164, "DOMAIN_ABORT_JOB", LOW, DOMAIN, VOID);
    public static final Procedure<DomainFlags, JobStatsRet> DOMAIN_GET_JOB_STATS =
            T.call(298, "DOMAIN_GET_JOB_STATS", LOW, DomainFlags.CODEC, JobStatsRet.CODEC);
    public static final Procedure<DomainFlags, Void> DOMAIN_ABORT_JOB_FLAGS =
            T.call(442, "DOMAIN_ABORT_JOB_FLAGS", LOW, DomainFlags.CODEC, VOID);

    // Save, restore, dump.
    public static final Procedure<CoreDumpArgs, Void> DOMAIN_CORE_DUMP =
            T.call(53, "DOMAIN_CORE_DUMP", LOW, CoreDumpArgs.CODEC, VOID);
    public static final Procedure<String, Void> DOMAIN_RESTORE = T.call(54, "DOMAIN_RESTORE", LOW, STRING, VOID);
    public static final Procedure<SaveArgs, Void> DOMAIN_SAVE = T.call(55, "DOMAIN_SAVE", LOW, SaveArgs.CODEC, VOID);
    public static final Procedure<DomainFlags, Void> DOMAIN_MANAGED_SAVE =
            T.call(182, "DOMAIN_MANAGED_SAVE", LOW, DomainFlags.CODEC, VOID);
    public static final Procedure<DomainFlags, Integer> DOMAIN_HAS_MANAGED_SAVE_IMAGE =
            T.call(183, "DOMAIN_HAS_MANAGED_SAVE_IMAGE", LOW, DomainFlags.CODEC, INT);
    public static final Procedure<DomainFlags, Void> DOMAIN_MANAGED_SAVE_REMOVE =
            T.call(184, "DOMAIN_MANAGED_SAVE_REMOVE", LOW, DomainFlags.CODEC, VOID);
    public static final Procedure<SaveFlagsArgs, Void> DOMAIN_SAVE_FLAGS =
            T.call(232, "DOMAIN_SAVE_FLAGS", LOW, SaveFlagsArgs.CODEC, VOID);
    public static final Procedure<RestoreFlagsArgs, Void> DOMAIN_RESTORE_FLAGS =
            T.call(233, "DOMAIN_RESTORE_FLAGS", LOW, RestoreFlagsArgs.CODEC, VOID);
    public static final Procedure<ImageFlagsArgs, String> DOMAIN_SAVE_IMAGE_GET_XML_DESC =
            T.call(235, "DOMAIN_SAVE_IMAGE_GET_XML_DESC", HIGH, ImageFlagsArgs.CODEC, STRING);
    public static final Procedure<ImageDefineXmlArgs, Void> DOMAIN_SAVE_IMAGE_DEFINE_XML =
            T.call(236, "DOMAIN_SAVE_IMAGE_DEFINE_XML", HIGH, ImageDefineXmlArgs.CODEC, VOID);
    public static final Procedure<CoreDumpWithFormatArgs, Void> DOMAIN_CORE_DUMP_WITH_FORMAT =
            T.call(334, "DOMAIN_CORE_DUMP_WITH_FORMAT", LOW, CoreDumpWithFormatArgs.CODEC, VOID);
    public static final Procedure<SaveParamsArgs, Void> DOMAIN_SAVE_PARAMS =
            T.call(440, "DOMAIN_SAVE_PARAMS", LOW, SaveParamsArgs.CODEC, VOID);
    public static final Procedure<RestoreParamsArgs, Void> DOMAIN_RESTORE_PARAMS =
            T.call(441, "DOMAIN_RESTORE_PARAMS", LOW, RestoreParamsArgs.CODEC, VOID);

    // Migration tuning.
    public static final Procedure<DomainHyperFlags, Void> DOMAIN_MIGRATE_SET_MAX_DOWNTIME =
            T.call(166, "DOMAIN_MIGRATE_SET_MAX_DOWNTIME", LOW, DomainHyperFlags.CODEC, VOID);
    public static final Procedure<DomainHyperFlags, Void> DOMAIN_MIGRATE_SET_MAX_SPEED =
            T.call(207, "DOMAIN_MIGRATE_SET_MAX_SPEED", LOW, DomainHyperFlags.CODEC, VOID);
    public static final Procedure<DomainFlags, Long> DOMAIN_MIGRATE_GET_MAX_SPEED =
            T.call(242, "DOMAIN_MIGRATE_GET_MAX_SPEED", LOW, DomainFlags.CODEC, HYPER);
    public static final Procedure<DomainFlags, Void> DOMAIN_MIGRATE_START_POST_COPY =
            T.call(364, "DOMAIN_MIGRATE_START_POST_COPY", LOW, DomainFlags.CODEC, VOID);
    public static final Procedure<DomainFlags, Long> DOMAIN_MIGRATE_GET_MAX_DOWNTIME =
            T.call(387, "DOMAIN_MIGRATE_GET_MAX_DOWNTIME", LOW, DomainFlags.CODEC, HYPER);

    // Migration, version 2.
    public static final Procedure<PerformArgs, Void> DOMAIN_MIGRATE_PERFORM =
            T.call(62, "DOMAIN_MIGRATE_PERFORM", LOW, PerformArgs.CODEC, VOID);
    public static final Procedure<Prepare2Args, Prepare2Ret> DOMAIN_MIGRATE_PREPARE2 =
            T.call(108, "DOMAIN_MIGRATE_PREPARE2", LOW, Prepare2Args.CODEC, Prepare2Ret.CODEC);
    public static final Procedure<Finish2Args, DomainRef> DOMAIN_MIGRATE_FINISH2 =
            T.call(109, "DOMAIN_MIGRATE_FINISH2", LOW, Finish2Args.CODEC, DOMAIN);
    public static final Procedure<PrepareTunnelArgs, Void> DOMAIN_MIGRATE_PREPARE_TUNNEL =
            T.writeStream(148, "DOMAIN_MIGRATE_PREPARE_TUNNEL", PrepareTunnelArgs.CODEC, VOID);

    // Migration, version 3 with typed parameters.
    public static final Procedure<Begin3ParamsArgs, Begin3ParamsRet> DOMAIN_MIGRATE_BEGIN3_PARAMS =
            T.call(302, "DOMAIN_MIGRATE_BEGIN3_PARAMS", LOW, Begin3ParamsArgs.CODEC, Begin3ParamsRet.CODEC);
    public static final Procedure<Prepare3ParamsArgs, Prepare3ParamsRet> DOMAIN_MIGRATE_PREPARE3_PARAMS =
            T.call(303, "DOMAIN_MIGRATE_PREPARE3_PARAMS", LOW, Prepare3ParamsArgs.CODEC, Prepare3ParamsRet.CODEC);
    public static final Procedure<Prepare3ParamsArgs, Cookie> DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS =
            T.writeStream(304, "DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS", Prepare3ParamsArgs.CODEC, COOKIE);
    public static final Procedure<Perform3ParamsArgs, Cookie> DOMAIN_MIGRATE_PERFORM3_PARAMS =
            T.call(305, "DOMAIN_MIGRATE_PERFORM3_PARAMS", LOW, Perform3ParamsArgs.CODEC, COOKIE);
    public static final Procedure<Finish3ParamsArgs, Finish3ParamsRet> DOMAIN_MIGRATE_FINISH3_PARAMS =
            T.call(306, "DOMAIN_MIGRATE_FINISH3_PARAMS", LOW, Finish3ParamsArgs.CODEC, Finish3ParamsRet.CODEC);
    public static final Procedure<Confirm3ParamsArgs, Void> DOMAIN_MIGRATE_CONFIRM3_PARAMS =
            T.call(307, "DOMAIN_MIGRATE_CONFIRM3_PARAMS", LOW, Confirm3ParamsArgs.CODEC, VOID);

    // Devices: hot-plug, statistics and their events.
    /** virDomainAttachDevice: as ATTACH_DEVICE_FLAGS with AFFECT_LIVE. */
    public static final Procedure<DeviceWire.DomainXml, Void> DOMAIN_ATTACH_DEVICE =
            T.call(8, "DOMAIN_ATTACH_DEVICE", LOW, DeviceWire.DomainXml.CODEC, VOID);
    /** virDomainDetachDevice: as DETACH_DEVICE_FLAGS with AFFECT_LIVE. */
    public static final Procedure<DeviceWire.DomainXml, Void> DOMAIN_DETACH_DEVICE =
            T.call(13, "DOMAIN_DETACH_DEVICE", LOW, DeviceWire.DomainXml.CODEC, VOID);

    public static final Procedure<DeviceWire.DomainPath, DeviceWire.BlockStatsRet> DOMAIN_BLOCK_STATS =
            T.call(64, "DOMAIN_BLOCK_STATS", LOW, DeviceWire.DomainPath.CODEC, DeviceWire.BlockStatsRet.CODEC);
    public static final Procedure<DeviceWire.DomainPath, DeviceWire.InterfaceStatsRet> DOMAIN_INTERFACE_STATS =
            T.call(65, "DOMAIN_INTERFACE_STATS", LOW, DeviceWire.DomainPath.CODEC, DeviceWire.InterfaceStatsRet.CODEC);
    public static final Procedure<DeviceWire.DomainStringFlags, Void> DOMAIN_ATTACH_DEVICE_FLAGS =
            T.call(160, "DOMAIN_ATTACH_DEVICE_FLAGS", LOW, DeviceWire.DomainStringFlags.CODEC, VOID);
    public static final Procedure<DeviceWire.DomainStringFlags, Void> DOMAIN_DETACH_DEVICE_FLAGS =
            T.call(161, "DOMAIN_DETACH_DEVICE_FLAGS", LOW, DeviceWire.DomainStringFlags.CODEC, VOID);
    public static final Procedure<DeviceWire.DomainStringFlags, Void> DOMAIN_UPDATE_DEVICE_FLAGS =
            T.call(174, "DOMAIN_UPDATE_DEVICE_FLAGS", LOW, DeviceWire.DomainStringFlags.CODEC, VOID);
    /** Args: dom, path, flags. */
    public static final Procedure<DeviceWire.DomainStringFlags, DeviceWire.BlockInfoRet> DOMAIN_GET_BLOCK_INFO = T.call(
            194, "DOMAIN_GET_BLOCK_INFO", LOW, DeviceWire.DomainStringFlags.CODEC, DeviceWire.BlockInfoRet.CODEC);

    public static final Procedure<DeviceWire.BlockStatsFlagsArgs, DeviceWire.BlockStatsFlagsRet>
            DOMAIN_BLOCK_STATS_FLAGS = T.call(
                    243,
                    "DOMAIN_BLOCK_STATS_FLAGS",
                    LOW,
                    DeviceWire.BlockStatsFlagsArgs.CODEC,
                    DeviceWire.BlockStatsFlagsRet.CODEC);
    public static final Procedure<DeviceWire.InterfaceAddressesArgs, List<DomainInterface>> DOMAIN_INTERFACE_ADDRESSES =
            T.call(
                    353,
                    "DOMAIN_INTERFACE_ADDRESSES",
                    LOW,
                    DeviceWire.InterfaceAddressesArgs.CODEC,
                    DeviceWire.INTERFACES);
    /** Args: dom, alias, flags. */
    public static final Procedure<DeviceWire.DomainStringFlags, Void> DOMAIN_DETACH_DEVICE_ALIAS =
            T.call(392, "DOMAIN_DETACH_DEVICE_ALIAS", LOW, DeviceWire.DomainStringFlags.CODEC, VOID);

    public static final Procedure<DeviceWire.DeviceRemovedEvent, Void> DOMAIN_EVENT_DEVICE_REMOVED =
            T.event(311, "DOMAIN_EVENT_DEVICE_REMOVED", DeviceWire.DeviceRemovedEvent.CODEC);
    public static final Procedure<DeviceWire.CallbackDeviceEvent, Void> DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED =
            T.event(333, "DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED", DeviceWire.CallbackDeviceEvent.CODEC);
    public static final Procedure<DeviceWire.CallbackDeviceEvent, Void> DOMAIN_EVENT_CALLBACK_DEVICE_ADDED =
            T.event(354, "DOMAIN_EVENT_CALLBACK_DEVICE_ADDED", DeviceWire.CallbackDeviceEvent.CODEC);

    // Statistics (StatsWire) and host queries (HostWire).
    public static final Procedure<StatsWire.AllStatsArgs, List<StatsWire.StatsRecord>> CONNECT_GET_ALL_DOMAIN_STATS =
            T.call(344, "CONNECT_GET_ALL_DOMAIN_STATS", LOW, StatsWire.AllStatsArgs.CODEC, StatsWire.STATS_RECORDS);
    public static final Procedure<StatsWire.MemoryStatsArgs, List<StatsWire.MemoryStat>> DOMAIN_MEMORY_STATS =
            T.call(159, "DOMAIN_MEMORY_STATS", LOW, StatsWire.MemoryStatsArgs.CODEC, StatsWire.MEMORY_STATS);
    public static final Procedure<StatsWire.StatsPeriodArgs, Void> DOMAIN_SET_MEMORY_STATS_PERIOD =
            T.call(308, "DOMAIN_SET_MEMORY_STATS_PERIOD", LOW, StatsWire.StatsPeriodArgs.CODEC, VOID);
    public static final Procedure<StatsWire.VcpusArgs, StatsWire.VcpusRet> DOMAIN_GET_VCPUS =
            T.call(20, "DOMAIN_GET_VCPUS", HIGH, StatsWire.VcpusArgs.CODEC, StatsWire.VcpusRet.CODEC);
    public static final Procedure<StatsWire.PinInfoArgs, StatsWire.PinInfoRet> DOMAIN_GET_VCPU_PIN_INFO =
            T.call(230, "DOMAIN_GET_VCPU_PIN_INFO", LOW, StatsWire.PinInfoArgs.CODEC, StatsWire.PinInfoRet.CODEC);
    public static final Procedure<StatsWire.CpuStatsArgs, StatsWire.ParamsRet> DOMAIN_GET_CPU_STATS =
            T.call(262, "DOMAIN_GET_CPU_STATS", LOW, StatsWire.CpuStatsArgs.CODEC, StatsWire.ParamsRet.CODEC);
    public static final Procedure<DomainFlags, StatsWire.ControlInfoRet> DOMAIN_GET_CONTROL_INFO =
            T.call(229, "DOMAIN_GET_CONTROL_INFO", HIGH, DomainFlags.CODEC, StatsWire.ControlInfoRet.CODEC);
    public static final Procedure<DomainRef, StatsWire.SchedulerTypeRet> DOMAIN_GET_SCHEDULER_TYPE =
            T.call(56, "DOMAIN_GET_SCHEDULER_TYPE", LOW, DOMAIN, StatsWire.SchedulerTypeRet.CODEC);
    public static final Procedure<StatsWire.SchedulerParamsArgs, List<TypedParam>>
            DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS = T.call(
                    223,
                    "DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS",
                    LOW,
                    StatsWire.SchedulerParamsArgs.CODEC,
                    StatsWire.SCHEDULER_PARAMS);
    public static final Procedure<String, Integer> CONNECT_GET_MAX_VCPUS =
            T.call(5, "CONNECT_GET_MAX_VCPUS", HIGH, StatsWire.MAX_VCPUS_TYPE, INT);
    public static final Procedure<HostWire.CellsFreeMemoryArgs, List<Long>> NODE_GET_CELLS_FREE_MEMORY =
            T.call(101, "NODE_GET_CELLS_FREE_MEMORY", HIGH, HostWire.CellsFreeMemoryArgs.CODEC, HostWire.CELLS);
    public static final Procedure<Void, Long> NODE_GET_FREE_MEMORY =
            T.call(102, "NODE_GET_FREE_MEMORY", HIGH, VOID, HYPER);
    public static final Procedure<Integer, String> CONNECT_GET_SYSINFO =
            T.call(203, "CONNECT_GET_SYSINFO", HIGH, INT, STRING);
    public static final Procedure<HostWire.NodeCpuStatsArgs, HostWire.NodeStatsRet> NODE_GET_CPU_STATS =
            T.call(227, "NODE_GET_CPU_STATS", HIGH, HostWire.NodeCpuStatsArgs.CODEC, HostWire.NodeStatsRet.CODEC);
    public static final Procedure<HostWire.NodeMemoryStatsArgs, HostWire.NodeStatsRet> NODE_GET_MEMORY_STATS =
            T.call(228, "NODE_GET_MEMORY_STATS", HIGH, HostWire.NodeMemoryStatsArgs.CODEC, HostWire.NodeStatsRet.CODEC);
    public static final Procedure<HostWire.CpuMapArgs, HostWire.CpuMapRet> NODE_GET_CPU_MAP =
            T.call(293, "NODE_GET_CPU_MAP", LOW, HostWire.CpuMapArgs.CODEC, HostWire.CpuMapRet.CODEC);
    public static final Procedure<HostWire.CpuModelsArgs, HostWire.CpuModelsRet> CONNECT_GET_CPU_MODEL_NAMES =
            T.call(312, "CONNECT_GET_CPU_MODEL_NAMES", LOW, HostWire.CpuModelsArgs.CODEC, HostWire.CpuModelsRet.CODEC);
    public static final Procedure<HostWire.DomainCapsArgs, String> CONNECT_GET_DOMAIN_CAPABILITIES =
            T.call(342, "CONNECT_GET_DOMAIN_CAPABILITIES", LOW, HostWire.DomainCapsArgs.CODEC, STRING);

    private static final RemoteProcedureTable TABLE = T.build();

    /** Every procedure above, by ascending number. */
    public static List<Procedure<?, ?>> all() {
        return TABLE.all();
    }

    /** What a procedure number resolves to, for dispatch. */
    public static ProcedureLookup lookup(int number) {
        return TABLE.lookup(number);
    }
}

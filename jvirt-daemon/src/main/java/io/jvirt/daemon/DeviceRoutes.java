package io.jvirt.daemon;

import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_ATTACH_DEVICE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_ATTACH_DEVICE_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_BLOCK_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_BLOCK_STATS_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DETACH_DEVICE;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DETACH_DEVICE_ALIAS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_DETACH_DEVICE_FLAGS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_GET_BLOCK_INFO;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_INTERFACE_ADDRESSES;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_INTERFACE_STATS;
import static io.jvirt.rpc.proto.RemoteProcedures.DOMAIN_UPDATE_DEVICE_FLAGS;

import io.jvirt.api.BlockInfo;
import io.jvirt.api.DeviceModifyFlags;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.InterfaceStats;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.proto.DeviceWire;
import io.jvirt.rpc.proto.DeviceWire.BlockInfoRet;
import io.jvirt.rpc.proto.DeviceWire.BlockStatsFlagsRet;
import io.jvirt.rpc.proto.DeviceWire.BlockStatsRet;
import io.jvirt.rpc.proto.DeviceWire.InterfaceStatsRet;
import java.util.List;

/**
 * Device procedures: attach, detach and update (the flag-less forms act on the live guest, as libvirt's QEMU
 * driver has them), disk and interface statistics, block info and interface addresses. Statistics and addresses
 * are allowed on read-only connections.
 */
final class DeviceRoutes {
    private DeviceRoutes() {}

    static void addTo(DispatchTable.Builder t) {
        t.mutate(DOMAIN_ATTACH_DEVICE, (c, a) -> {
            c.driver().attachDevice(a.dom(), a.xml(), DeviceModifyFlags.LIVE);
            return null;
        });
        t.mutate(DOMAIN_ATTACH_DEVICE_FLAGS, (c, a) -> {
            c.driver().attachDevice(a.dom(), a.text(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_DETACH_DEVICE, (c, a) -> {
            c.driver().detachDevice(a.dom(), a.xml(), DeviceModifyFlags.LIVE);
            return null;
        });
        t.mutate(DOMAIN_DETACH_DEVICE_FLAGS, (c, a) -> {
            c.driver().detachDevice(a.dom(), a.text(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_DETACH_DEVICE_ALIAS, (c, a) -> {
            c.driver().detachDeviceAlias(a.dom(), a.text(), a.flags());
            return null;
        });
        t.mutate(DOMAIN_UPDATE_DEVICE_FLAGS, (c, a) -> {
            c.driver().updateDevice(a.dom(), a.text(), a.flags());
            return null;
        });

        t.query(DOMAIN_BLOCK_STATS, (c, a) -> legacyBlockStats(c.driver().blockStats(a.dom(), a.path(), 0)));
        t.query(
                DOMAIN_BLOCK_STATS_FLAGS,
                (c, a) -> blockStatsFlags(c.driver().blockStats(a.dom(), a.path(), a.flags()), a.nparams()));
        t.query(DOMAIN_GET_BLOCK_INFO, (c, a) -> blockInfo(c.driver().blockInfo(a.dom(), a.text(), a.flags())));
        t.query(DOMAIN_INTERFACE_STATS, (c, a) -> interfaceStats(c.driver().interfaceStats(a.dom(), a.path())));
        // The agent source is kept from read-only clients as libvirtd keeps it (CVE-2019-3886); for the others it
        // fails in the driver, as jvirt configures no guest agent.
        t.query(DOMAIN_INTERFACE_ADDRESSES, (c, a) -> {
            ReadOnlyFlags.checkInterfaceAddresses(c, a.source());
            return c.driver().interfaceAddresses(a.dom(), a.source(), a.flags());
        });
    }

    /**
     * libvirtd's answer to BLOCK_STATS_FLAGS: with nparams 0 only the count, else the first nparams parameters
     * (nparams in the reply left 0); more than the protocol's 16 is an error.
     */
    static BlockStatsFlagsRet blockStatsFlags(List<TypedParam> stats, int nparams) {
        if (nparams > DeviceWire.BLOCK_STATS_PARAMETERS_MAX) {
            throw VirtException.of(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, "nparams too large");
        }
        if (nparams == 0) {
            return new BlockStatsFlagsRet(List.of(), stats.size());
        }
        return new BlockStatsFlagsRet(stats.subList(0, Math.min(nparams, stats.size())), 0);
    }

    /** The old five-counter form: read and write requests and bytes; errors QEMU does not count (-1). */
    static BlockStatsRet legacyBlockStats(List<TypedParam> stats) {
        return new BlockStatsRet(
                value(stats, "rd_operations"),
                value(stats, "rd_bytes"),
                value(stats, "wr_operations"),
                value(stats, "wr_bytes"),
                -1);
    }

    private static long value(List<TypedParam> stats, String field) {
        return TypedParam.find(stats, field).map(v -> ((Number) v).longValue()).orElse(-1L);
    }

    static BlockInfoRet blockInfo(BlockInfo i) {
        return new BlockInfoRet(i.allocation(), i.capacity(), i.physical());
    }

    static InterfaceStatsRet interfaceStats(InterfaceStats s) {
        return new InterfaceStatsRet(
                s.rxBytes(), s.rxPackets(), s.rxErrs(), s.rxDrop(), s.txBytes(), s.txPackets(), s.txErrs(), s.txDrop());
    }
}

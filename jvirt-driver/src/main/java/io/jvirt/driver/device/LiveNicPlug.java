package io.jvirt.driver.device;

import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.InterfaceType;
import io.jvirt.driver.process.HostNic;
import io.jvirt.driver.process.HostNics;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.driver.process.NetCommandLine;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * Hot-plugs a NIC with the backend and device the command line would give it ({@link NetCommandLine}'s property
 * maps). A bridge or ethernet NIC gets its tap made as at start ({@link HostNics}); its fds go to QEMU with
 * {@code getfd} on the domain's one monitor connection, whose names {@code netdev_add} then uses (getfd names belong
 * to the connection that sent them), and jvirt's copies are closed afterwards, so the tap lives as long as QEMU's
 * netdev: {@code netdev_del} (or QEMU's end) removes it. A failure removes what was added; the tap goes with the fds.
 *
 * <p>Threading: the caller's thread, holding the domain's job.
 */
final class LiveNicPlug {
    private static final Logger LOG = System.getLogger(LiveNicPlug.class.getName());

    private LiveNicPlug() {}

    /** Plugs {@code nic} (alias set) into {@code live}'s guest; returns it as the live definition shows it. */
    static InterfaceDef attach(String domain, Monitor monitor, DomainDef live, InterfaceDef nic) {
        String machine = live.os().machine() == null ? "pc" : live.os().machine();
        if (nic.type() == InterfaceType.USER) {
            MonitorCalls.run(domain, () -> monitor.execute("netdev_add", NetCommandLine.userNetdev(nic)));
            plugDevice(domain, monitor, nic, machine);
            return nic;
        }
        try (HostNic host = HostNics.openOne(live, nic)) {
            InterfaceDef named = nic.withTargetDev(host.tap().name());
            String tapName = "fd-" + nic.alias();
            String vhostName = host.vhostFd() >= 0 ? "vhostfd-" + nic.alias() : null;
            MonitorCalls.run(domain, () -> monitor.getfd(tapName, host.tap().fd()));
            try {
                if (vhostName != null) {
                    MonitorCalls.run(domain, () -> monitor.getfd(vhostName, host.vhostFd()));
                }
                MonitorCalls.run(
                        domain,
                        () -> monitor.execute("netdev_add", NetCommandLine.tapNetdev(named, tapName, vhostName)));
            } catch (VirtException e) {
                // netdev_add takes the named fds it used; after a failure they are still the monitor's.
                closeFd(domain, monitor, tapName);
                if (vhostName != null) {
                    closeFd(domain, monitor, vhostName);
                }
                throw e;
            }
            plugDevice(domain, monitor, named, machine);
            return named;
        }
    }

    private static void plugDevice(String domain, Monitor monitor, InterfaceDef nic, String machine) {
        try {
            MonitorCalls.run(domain, () -> monitor.execute("device_add", NetCommandLine.device(nic, machine)));
        } catch (VirtException e) {
            try {
                monitor.execute("netdev_del", Map.of("id", NetCommandLine.netdevId(nic)));
            } catch (IOException cleanup) {
                LOG.log(
                        Level.WARNING,
                        "domain {0}: removing netdev {1} failed: {2}",
                        domain,
                        NetCommandLine.netdevId(nic),
                        cleanup.getMessage());
            }
            throw e;
        }
    }

    private static void closeFd(String domain, Monitor monitor, String name) {
        try {
            monitor.closefd(name);
        } catch (IOException e) {
            LOG.log(
                    Level.DEBUG,
                    "domain {0}: fd {1} was not the monitor''s any more: {2}",
                    domain,
                    name,
                    e.getMessage());
        }
    }
}

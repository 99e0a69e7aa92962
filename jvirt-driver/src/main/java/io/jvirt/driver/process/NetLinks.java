package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.LinkState;
import io.jvirt.qmp.Monitor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts down the links of NICs whose {@code <link state='down'/>} says so, with QMP {@code set_link} on a QEMU that
 * has not run the guest yet, as libvirt does at start. Runs on the starting caller's thread.
 */
public final class NetLinks {
    private NetLinks() {}

    public static void setDown(String domain, DomainDef live, Monitor monitor) {
        for (InterfaceDef nic : live.interfaces()) {
            if (nic.linkState() == LinkState.DOWN) {
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("name", nic.alias());
                args.put("up", false);
                try {
                    monitor.execute("set_link", args);
                } catch (IOException e) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_FAILED,
                            ErrorDomain.QEMU,
                            "Couldn't set link state on interface: " + nic.alias() + " (domain '" + domain + "': "
                                    + e.getMessage() + ")",
                            e);
                }
            }
        }
    }
}

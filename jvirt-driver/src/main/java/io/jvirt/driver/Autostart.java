package io.jvirt.driver;

import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;
import io.jvirt.driver.root.AtomicFiles;
import io.jvirt.driver.root.HostFacts;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the domains marked autostart, once per host boot and root, as libvirt does once per boot of the host.
 * The embedded driver opens for every CLI call; without the once-per-boot marker a guest a user destroyed would
 * come back at the next command.
 */
final class Autostart {
    private static final Logger LOG = System.getLogger(Autostart.class.getName());

    private final DriverContext ctx;
    private final DomainLifecycle lifecycle;

    Autostart(DriverContext ctx, DomainLifecycle lifecycle) {
        this.ctx = ctx;
        this.lifecycle = lifecycle;
    }

    void runOncePerBoot() {
        Path marker = ctx.root().dir().resolve("run/autostarted");
        String boot = HostFacts.bootId();
        try {
            if (Files.exists(marker) && Files.readString(marker).strip().equals(boot)) {
                return;
            }
            AtomicFiles.write(marker, boot + "\n");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record autostart marker " + marker + ": " + e.getMessage());
            return;
        }
        for (DomainObj dom : ctx.registry().all()) {
            if (dom.autostart() && !dom.isActive() && dom.persistentDef() != null) {
                try {
                    lifecycle.start(dom, dom.persistentDef(), 0);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "autostart of domain " + dom.name() + " failed: " + e.getMessage());
                }
            }
        }
    }
}

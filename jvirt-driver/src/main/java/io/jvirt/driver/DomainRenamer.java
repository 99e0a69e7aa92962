package io.jvirt.driver;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.lifecycle.DriverContext;

/**
 * {@code virDomainRename}: a persistent, inactive domain gets another name; its configuration file (and autostart
 * mark) move to the new name. Refused as libvirt refuses it: running, transient, or a name in use.
 *
 * <p>Threading: the caller's thread.
 */
final class DomainRenamer {
    private DomainRenamer() {}

    static void rename(DriverContext ctx, DomainObj dom, String newName, int flags) {
        if (flags != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainRename");
        }
        if (newName == null || newName.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG, ErrorDomain.NONE, "new_name in virDomainRename must not be NULL");
        }
        try (DomainObj.Job _ = dom.beginJob("rename", DomainLifecycle.JOB_WAIT_MILLIS)) {
            if (dom.isActive()) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot rename active domain");
            }
            if (!dom.isPersistent()) {
                throw VirtException.of(
                        ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "cannot rename a transient domain");
            }
            String oldName = dom.name();
            if (newName.equals(oldName)) {
                throw VirtException.of(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "Can't rename domain to itself");
            }
            dom.withLock(() -> {
                if (ctx.registry().findByName(newName) != null) {
                    throw VirtException.of(
                            ErrorCode.OPERATION_INVALID,
                            ErrorDomain.QEMU,
                            "domain with name '" + newName + "' already exists");
                }
                boolean autostart = dom.autostart();
                DomainDef renamed = dom.persistentDef().withName(newName);
                ctx.store().saveConfig(renamed);
                ctx.store().deleteConfig(oldName);
                if (autostart) {
                    ctx.store().setAutostart(newName, true);
                }
                dom.setPersistentDef(renamed);
            });
        }
    }
}

package io.jvirt.driver.root;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Path;

/**
 * Who QEMU runs as and how it is fenced in, from jvirt.conf (qemu.conf's names and meanings):
 * <pre>
 * user = "jvirt-qemu"       # the account QEMU runs as: a name, or "+UID"; "root" leaves QEMU unconfined
 * group = "jvirt-qemu"      # its group: a name, or "+GID"
 * seccomp_sandbox = 1       # 0: no -sandbox (QEMU's seccomp filter)
 * </pre>
 * The default account is the one {@code scripts/install-prereqs} creates, as Debian's libvirt uses its own
 * {@code libvirt-qemu}. A driver that does not run as root cannot switch users and runs QEMU as itself.
 */
public record SecuritySettings(String user, String group, boolean seccompSandbox) {
    public static final String DEFAULT_ACCOUNT = "jvirt-qemu";

    public static final SecuritySettings DEFAULT = new SecuritySettings(DEFAULT_ACCOUNT, DEFAULT_ACCOUNT, true);

    /** QEMU as root without a sandbox: what jvirt did before it confined QEMU; for argv golden tests. */
    public static final SecuritySettings UNCONFINED = new SecuritySettings("root", "root", false);

    static SecuritySettings load(ConfFile conf, Path file) {
        long sandbox = conf.number("seccomp_sandbox", 1);
        if (sandbox != 0 && sandbox != 1) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, file + ": seccomp_sandbox must be 0 or 1, not " + sandbox);
        }
        return new SecuritySettings(
                conf.string("user", DEFAULT_ACCOUNT), conf.string("group", DEFAULT_ACCOUNT), sandbox == 1);
    }
}

package io.jvirt.driver.security;

import java.util.ArrayList;
import java.util.List;

/**
 * The argv that starts QEMU as its {@link QemuAccount}: util-linux's setpriv switches real and effective uid and
 * gid, takes the account's supplementary groups (kvm, for /dev/kvm), empties the inheritable and bounding
 * capability sets, and execs QEMU. The JDK cannot change a child's user, and QEMU's own {@code -run-with user=}
 * would open its files and parse its options as root, then fail to drop privileges under
 * {@code -sandbox elevateprivileges=deny}. setpriv execs in place: the pid, the session of its own that the
 * launcher gives QEMU (so its own process group), and the fds passed at spawn (taps, vhost-net) stay QEMU's; fds
 * passed later over the monitor (getfd: migration and save pipes, hot-plugged taps) cross users as any
 * SCM_RIGHTS message does. Stateless.
 */
public final class ConfinedCommand {
    /** Part of util-linux, which every Debian system has. */
    static final String SETPRIV = "/usr/bin/setpriv";

    private ConfinedCommand() {}

    /** {@code argv} unchanged for an account that is not confined, else prefixed to run as it. */
    public static List<String> wrap(List<String> argv, QemuAccount account) {
        if (!account.confined()) {
            return argv;
        }
        List<String> out = new ArrayList<>(List.of(
                SETPRIV,
                "--reuid=" + account.uid(),
                "--regid=" + account.gid(),
                "--init-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--"));
        out.addAll(argv);
        return List.copyOf(out);
    }
}

package io.jvirt.daemon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * systemd's socket activation (sd_listen_fds): the listening sockets a service manager bound and handed over as fds
 * 3 and up, named by {@code LISTEN_FDNAMES} (jvirtd.socket's {@code FileDescriptorName=jvirtd-rw}, jvirtd-ro.socket's
 * {@code jvirtd-ro}); unnamed, the first is the read-write socket and the second the read-only one. They count only
 * when {@code LISTEN_PID} is this process, and are taken once per process (the first daemon started gets them).
 *
 * @param fds the fd of each name
 */
record SocketActivation(Map<String, Integer> fds) {
    /** The first fd passed (SD_LISTEN_FDS_START). */
    static final int FIRST_FD = 3;

    static final String RW = "jvirtd-rw";
    static final String RO = "jvirtd-ro";
    static final SocketActivation NONE = new SocketActivation(Map.of());

    private static final AtomicBoolean TAKEN = new AtomicBoolean();

    SocketActivation {
        fds = Map.copyOf(fds);
    }

    /** What this process was handed, the first time it is asked; {@link #NONE} after that or without activation. */
    static SocketActivation takeFromEnvironment() {
        SocketActivation a = parse(System.getenv(), ProcessHandle.current().pid());
        return a.fds.isEmpty() || TAKEN.getAndSet(true) ? NONE : a;
    }

    /** The fds that {@code env} hands to process {@code pid}; NONE when they are meant for another process. */
    static SocketActivation parse(Map<String, String> env, long pid) {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null || !listenPid.equals(Long.toString(pid))) {
            return NONE;
        }
        int count;
        try {
            count = Integer.parseInt(listenFds);
        } catch (NumberFormatException e) {
            return NONE;
        }
        List<String> names = env.containsKey("LISTEN_FDNAMES")
                ? List.of(env.get("LISTEN_FDNAMES").split(":", -1))
                : List.of();
        Map<String, Integer> fds = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name =
                    i < names.size() && !names.get(i).isEmpty() && !names.get(i).equals("unknown")
                            ? names.get(i)
                            : i == 0 ? RW : i == 1 ? RO : "fd" + (FIRST_FD + i);
            fds.put(name, FIRST_FD + i);
        }
        return new SocketActivation(fds);
    }

    /** The fd handed over under {@code name}, if any. */
    Optional<Integer> fd(String name) {
        return Optional.ofNullable(fds.get(name));
    }
}

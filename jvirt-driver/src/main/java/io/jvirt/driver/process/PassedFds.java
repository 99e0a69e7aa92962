package io.jvirt.driver.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The fds of ours a QEMU is to get, and the number each gets in QEMU: the i-th fd passed becomes QEMU's fd
 * {@code 3 + i} ({@link QemuLauncher} arranges it), which is what its argv names. The fds stay owned by whoever
 * opened them. One start, one thread.
 */
public final class PassedFds {
    private final List<Integer> fds = new ArrayList<>();

    /** Passes {@code fd}; returns the number QEMU will know it by. */
    public int pass(int fd) {
        fds.add(fd);
        return 2 + fds.size();
    }

    /** Our fds, in the order QEMU numbers them from 3. */
    public List<Integer> fds() {
        return List.copyOf(fds);
    }
}

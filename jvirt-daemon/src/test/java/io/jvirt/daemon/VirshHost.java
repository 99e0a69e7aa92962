package io.jvirt.daemon;

/** A test daemon as its virsh user sees it: a label for messages, the daemon, and virsh on its socket. */
record VirshHost(String label, Daemon daemon, Virsh virsh) {
    /** The URI another daemon or virsh reaches it by. */
    String uri() {
        return "qemu+unix:///system?socket=" + daemon.rwSocket();
    }
}

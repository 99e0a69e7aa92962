package io.jvirt.driver.migration.tunnel;

import io.jvirt.api.VirtException;
import io.jvirt.qmp.Monitor;
import io.jvirt.qmp.NbdAddress;

/**
 * How Perform's bytes leave this host and whether the destination is still there: native migration lets QEMU
 * connect to the URI the destination gave; a tunnel hands QEMU a pipe whose bytes jvirt forwards itself.
 *
 * <p>Threading: {@link #attach} and {@link #drain} run on Perform's thread, {@link #close} on Perform's or an
 * aborting thread, {@link #lost} on the waiting thread.
 */
public interface OutgoingTransport {

    /** Native migration to the destination's URI, with nobody to watch. */
    OutgoingTransport NATIVE = new OutgoingTransport() {};

    /** QEMU's migration URI, or null for the one in the options. */
    default String uri() {
        return null;
    }

    /** Hands QEMU what {@link #uri()} names (an fd by getfd), just before {@code migrate}. */
    default void attach(String domain, Monitor monitor) {}

    /**
     * Stops moving bytes. Runs before QEMU's migration is cancelled, so QEMU is never left blocked writing into
     * something nobody reads (the seed's deadlock). Idempotent.
     */
    default void close() {}

    /** Non-null once the destination is gone: the error the wait for QEMU gives up with. */
    default VirtException lost() {
        return null;
    }

    /** After QEMU reported completion: waits until every byte was delivered, or throws why not. */
    default void drain() {}

    /**
     * Where the disks' mirrors connect when this transport carries them too ({@link SourceStorageTunnel}); null
     * when they connect to the destination's NBD server themselves.
     */
    default NbdAddress nbdServer() {
        return null;
    }
}

package io.jvirt.driver.migration;

import io.jvirt.config.DiskDef;
import io.jvirt.config.DomainDef;
import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.migration.cookie.CookieNbd;
import io.jvirt.driver.migration.storage.CopiedDisks;
import io.jvirt.driver.migration.storage.ImagePrecreation;
import io.jvirt.driver.migration.storage.NbdExports;
import io.jvirt.driver.migration.storage.NbdUris;
import io.jvirt.driver.migration.tunnel.DestinationStorageTunnel;
import io.jvirt.driver.root.MigrationSettings;
import io.jvirt.qmp.NbdAddress;
import java.util.List;

/**
 * The destination's part of a storage migration across Prepare and Finish: the images it creates before its QEMU
 * starts, the NBD server its QEMU runs for the source's mirrors (on a port of the migration range, on
 * {@code disks_port}, or where {@code disks_uri} says), and the undo of both when the migration fails: the images
 * it created are removed, the port is released. Kept in the incoming {@link MigrationJob}.
 *
 * <p>Threading: Prepare's and Finish's API threads, one after the other.
 */
final class IncomingStorage {

    private final MigrationOptions options;
    private final CookieNbd offered;
    private final ImagePrecreation images = new ImagePrecreation();
    private volatile int port;
    private volatile boolean serverStarted;
    private volatile CookieNbd answer;
    /** jvirt's storage through the tunnel: the NBD server listens on its socket, the source's streams reach it. */
    private volatile DestinationStorageTunnel tunnel;

    private IncomingStorage(MigrationOptions options, CookieNbd offered) {
        this.options = options;
        this.offered = offered;
    }

    /**
     * Before QEMU starts: when the source asked for storage migration (its cookie carries {@code nbd}), creates
     * the images of {@code def} that are missing. Null when there is no storage to receive.
     */
    static IncomingStorage prepare(DomainDef def, MigrationOptions options, CookieNbd offered) {
        if (!options.copiesStorage() || offered == null) {
            return null;
        }
        NbdUris.checkPort(options.disksPort());
        if (options.disksUri() != null) {
            NbdUris.parse(options.disksUri());
        }
        IncomingStorage storage = new IncomingStorage(options, offered);
        List<DiskDef> disks = CopiedDisks.of(def, options.migrateDisks());
        storage.images.createMissing(
                ImagePrecreation.qemuImgFor(def.emulator()), disks, offered, options.copiesTopOnly());
        return storage;
    }

    /**
     * With QEMU started (waiting for the incoming migration): its NBD server and one export per copied disk.
     * Returns the {@code nbd} section for Prepare's cookie: the port (0 for a unix socket) and the disks offered.
     */
    CookieNbd startServer(DomainObj dom, QemuRun run, MigrationSettings settings, String listen) {
        answer = serve(dom, run, settings, listen);
        return answer;
    }

    /** Before {@link #startServer}: the NBD server is to listen on {@code tunnel}'s socket, for its streams. */
    void throughTunnel(DestinationStorageTunnel tunnel) {
        this.tunnel = tunnel;
    }

    /** The storage tunnel set by {@link #throughTunnel}, or null. */
    DestinationStorageTunnel tunnel() {
        return tunnel;
    }

    /** The {@code nbd} section {@link #startServer} returned, for Prepare's cookie; null before. */
    CookieNbd answer() {
        return answer;
    }

    private CookieNbd serve(DomainObj dom, QemuRun run, MigrationSettings settings, String listen) {
        List<DiskDef> disks = CopiedDisks.of(dom.def(), options.migrateDisks());
        String name = dom.name();
        DestinationStorageTunnel through = tunnel;
        String tlsCreds = options.tls() ? MigrationTls.ALIAS : null;
        if (through != null) {
            NbdExports.start(
                    run.monitor(), name, disks, NbdAddress.unix(through.socket().toString()), tlsCreds);
            serverStarted = true;
            return new CookieNbd(0, offered.disks());
        }
        if (options.disksUri() != null) {
            NbdAddress wanted = NbdUris.parse(options.disksUri());
            if (wanted.isUnix() || wanted.port() > 0) {
                NbdExports.start(run.monitor(), name, disks, wanted, tlsCreds);
                serverStarted = true;
                return new CookieNbd(wanted.port(), offered.disks());
            }
            listen = wanted.host();
        }
        if (options.disksPort() != null && options.disksPort() > 0) {
            NbdExports.start(run.monitor(), name, disks, NbdAddress.tcp(listen, options.disksPort()), tlsCreds);
            serverStarted = true;
            return new CookieNbd(options.disksPort(), offered.disks());
        }
        String address = listen;
        port = MigrationPorts.listenOnFree(
                settings,
                address,
                p -> NbdExports.start(run.monitor(), name, disks, NbdAddress.tcp(address, p), tlsCreds));
        serverStarted = true;
        return new CookieNbd(port, offered.disks());
    }

    /** Finish: the disks have arrived (or the guest is going anyway), so the NBD server stops. */
    void stopServer(DomainObj dom, QemuRun run) {
        if (serverStarted && run != null && !run.ended()) {
            NbdExports.stop(run.monitor(), dom.name());
        }
        serverStarted = false;
        MigrationPorts.release(port);
        port = 0;
        closeTunnel();
    }

    private void closeTunnel() {
        DestinationStorageTunnel t = tunnel;
        if (t != null) {
            t.close();
        }
    }

    /** The guest runs here on the copied images: they stay. */
    void succeeded() {
        MigrationPorts.release(port);
        port = 0;
        closeTunnel();
        images.keep();
    }

    /** The migration failed, after this host's QEMU is gone: the images it created go, and the port. */
    void failed() {
        MigrationPorts.release(port);
        port = 0;
        closeTunnel();
        images.removeCreated();
    }
}

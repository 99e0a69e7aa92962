package io.jvirt.driver.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where one jvirt host keeps everything, all under one directory, so two roots on one machine are two
 * independent hosts. The layout follows libvirt's QEMU driver directories:
 * <pre>
 * DIR/jvirt.lock             held by the one process that owns the root (its pid inside)
 * DIR/etc/jvirt.conf         settings (optional), see DriverSettings
 * DIR/etc/qemu/NAME.xml      persistent domain definitions
 * DIR/etc/qemu/autostart/NAME  marker: start NAME when the driver opens
 * DIR/lib/host-uuid          the generated host UUID
 * DIR/lib/qemu/NAME.state    last state and reason of an inactive persistent domain
 * DIR/lib/qemu/save/NAME.save  managed save image (the next start restores it)
 * DIR/run/qemu/NAME.xml      status of a running domain (state, reason, pid, monitor, live XML)
 * DIR/run/qemu/NAME.dac     the files given to NAME's QEMU user, to give back when it stops (security package)
 * DIR/run/qemu/NAME/        the running domain's private directory, owned by its QEMU user: sockets QEMU makes
 * DIR/run/qemu/NAME/monitor  QMP socket                                  or connects to
 * DIR/log/qemu/NAME.log      QEMU's command line and stderr
 * </pre>
 */
public record HostRoot(Path dir) {

    public HostRoot {
        dir = dir.toAbsolutePath().normalize();
    }

    /** Creates the directories of the layout if missing. */
    public HostRoot create() throws IOException {
        for (Path p : new Path[] {configDir(), autostartDir(), libDir(), stateDir(), runDir(), logDir()}) {
            Files.createDirectories(p);
        }
        return this;
    }

    public Path lockFile() {
        return dir.resolve("jvirt.lock");
    }

    public Path settingsFile() {
        return dir.resolve("etc/jvirt.conf");
    }

    public Path configDir() {
        return dir.resolve("etc/qemu");
    }

    public Path autostartDir() {
        return configDir().resolve("autostart");
    }

    public Path libDir() {
        return dir.resolve("lib");
    }

    public Path stateDir() {
        return dir.resolve("lib/qemu");
    }

    public Path runDir() {
        return dir.resolve("run/qemu");
    }

    public Path logDir() {
        return dir.resolve("log/qemu");
    }

    public Path hostUuidFile() {
        return libDir().resolve("host-uuid");
    }

    public Path configFile(String name) {
        return configDir().resolve(name + ".xml");
    }

    public Path autostartMarker(String name) {
        return autostartDir().resolve(name);
    }

    public Path lastStateFile(String name) {
        return stateDir().resolve(name + ".state");
    }

    public Path managedSaveFile(String name) {
        return stateDir().resolve("save").resolve(name + ".save");
    }

    public Path statusFile(String name) {
        return runDir().resolve(name + ".xml");
    }

    /**
     * The private directory of a running domain, given to its QEMU's user: QEMU creates its sockets here (and
     * connects to jvirt's), which it could not do in the root-owned run directory.
     */
    public Path domainRunDir(String name) {
        return runDir().resolve(name);
    }

    /** The files a running domain's QEMU user was given ({@code io.jvirt.driver.security.DomainLabels}). */
    public Path labelsFile(String name) {
        return runDir().resolve(name + ".dac");
    }

    public Path monitorSocket(String name) {
        return domainRunDir(name).resolve("monitor");
    }

    /** The unix socket of a migration's NBD traffic here: {@code out} on the source, else the destination's. */
    public Path nbdSocket(String name, boolean out) {
        return domainRunDir(name).resolve(out ? "nbd-out" : "nbd-in");
    }

    /**
     * The unix socket a tunnelled migration with several channels uses here: the source's QEMU connects to jvirt's
     * ({@code out}), jvirt connects to the destination's QEMU ({@code in}).
     */
    public Path tunnelSocket(String name, boolean out) {
        return domainRunDir(name).resolve(out ? "tunnel-out" : "tunnel-in");
    }

    public Path logFile(String name) {
        return logDir().resolve(name + ".log");
    }
}

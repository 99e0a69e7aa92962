package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.DomainDef;
import io.jvirt.config.GraphicsDef;
import io.jvirt.config.InterfaceDef;
import io.jvirt.config.LifecycleAction;
import io.jvirt.config.MemballoonDef;
import io.jvirt.config.VideoDef;
import io.jvirt.driver.root.DriverSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a live domain definition (ids, aliases and ports assigned by {@link LiveDefinition}) into QEMU's argv, in
 * the shape libvirt gives it: no default devices (every device is named), the monitor on a unix socket, {@code -S}
 * so the driver decides when the guest runs, and {@code -no-shutdown} so a guest power-off leaves QEMU waiting
 * for the driver rather than exiting under it. No {@code -cpu}: QEMU's default model (host/max crash on nested
 * hosts). Pure: the same definition always gives the same argv.
 */
public final class QemuCommandLine {
    private QemuCommandLine() {}

    public static List<String> build(DomainDef def, DriverSettings settings, Path monitorSocket) {
        return build(def, settings, monitorSocket, false);
    }

    /** As {@link #build(DomainDef, DriverSettings, Path)}; with {@code incoming}, QEMU waits for migrate-incoming. */
    public static List<String> build(DomainDef def, DriverSettings settings, Path monitorSocket, boolean incoming) {
        return build(def, settings, monitorSocket, incoming, Map.of());
    }

    /** As above, with the fds QEMU gets for each tap-backed NIC, by alias ({@link HostNics#pass}). */
    public static List<String> build(
            DomainDef def, DriverSettings settings, Path monitorSocket, boolean incoming, Map<String, NetFds> netFds) {
        List<String> a = new ArrayList<>();
        a.add(
                def.emulator() == null || def.emulator().isBlank()
                        ? settings.qemuBinary().toString()
                        : def.emulator());
        add(a, "-name", "guest=" + commaEscape(def.name()) + ",debug-threads=on");
        add(a, "-S");
        add(a, "-msg", "timestamp=on");
        add(a, "-uuid", def.uuid().toString());
        add(a, "-no-user-config", "-nodefaults");
        add(a, "-machine", machine(def));
        add(a, "-m", "size=" + def.memoryKiB() + "k");
        add(a, "-smp", def.vcpus() + ",sockets=" + def.vcpus() + ",cores=1,threads=1");
        add(
                a,
                "-chardev",
                "socket,id=charmonitor,path=" + commaEscape(monitorSocket.toString()) + ",server=on,wait=off");
        add(a, "-mon", "chardev=charmonitor,id=monitor,mode=control");
        add(a, "-rtc", "base=" + ("localtime".equals(def.clock().offset()) ? "localtime" : "utc"));
        add(a, "-no-shutdown");
        if (def.onReboot() == LifecycleAction.DESTROY) {
            add(a, "-no-reboot"); // a guest reboot then arrives as a power-off, which ends the domain
        }
        add(a, "-boot", "strict=on");
        if (def.os().kernel() != null) {
            add(a, "-kernel", def.os().kernel());
        }
        if (def.os().initrd() != null) {
            add(a, "-initrd", def.os().initrd());
        }
        if (def.os().cmdline() != null) {
            add(a, "-append", def.os().cmdline());
        }
        if (incoming) {
            add(a, "-incoming", "defer");
        }
        UsbCommandLine.add(def, a);
        DiskCommandLine.add(def, a);
        for (InterfaceDef nic : def.interfaces()) {
            NetCommandLine.add(a, nic, netFds.get(nic.alias()), machineName(def));
        }
        chardevs(def, a);
        graphics(def, settings, a);
        video(def, a);
        MemballoonDef balloon = def.memballoon().orElse(null);
        if (balloon != null && "virtio".equals(balloon.model())) {
            add(
                    a,
                    "-device",
                    "virtio-balloon-pci,id=" + balloon.alias() + PciAddresses.suffix(balloon.info(), machineName(def)));
        }
        if (settings.security().seccompSandbox()) {
            // libvirt's filter: no obsolete or privilege-raising syscalls, no fork/exec, no changing scheduling or
            // CPU affinity. jvirt needs none of them from QEMU: migrations, saves and dumps go through fds.
            add(a, "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
        }
        return List.copyOf(a);
    }

    private static String machine(DomainDef def) {
        String accel = switch (def.type()) {
            case KVM -> "kvm";
            case QEMU -> "tcg";
        };
        StringBuilder m = new StringBuilder(machineName(def))
                .append(",usb=off,dump-guest-core=off,accel=")
                .append(accel);
        if (!def.hasFeature("acpi")) {
            m.append(",acpi=off");
        }
        return m.toString();
    }

    private static String machineName(DomainDef def) {
        return def.os().machine() == null ? "pc" : def.os().machine();
    }

    /**
     * Serial ports, each on a chardev. A console whose target is a serial port (or unnamed) is that port, as
     * libvirt treats {@code <console type='…'><target type='serial'/>}; other console kinds are not supported.
     */
    private static void chardevs(DomainDef def, List<String> a) {
        int index = 0;
        for (CharDeviceDef serial : def.serials()) {
            String id = "char" + serial.alias();
            add(a, "-chardev", chardev(serial, id));
            add(a, "-device", "isa-serial,chardev=" + id + ",id=" + serial.alias() + ",index=" + index++);
        }
        for (CharDeviceDef console : def.consoles()) {
            String target = console.targetType();
            if (target != null && !target.equals("serial")) {
                throw unsupported("console target type '" + target + "'");
            }
        }
        if (def.serials().isEmpty() && !def.consoles().isEmpty()) {
            add(a, "-chardev", chardev(def.consoles().getFirst(), "charserial0"));
            add(a, "-device", "isa-serial,chardev=charserial0,id=serial0,index=0");
        }
    }

    private static String chardev(CharDeviceDef dev, String id) {
        return switch (dev.type()) {
            case FILE ->
                "file,id=" + id + ",path=" + commaEscape(dev.sourcePath())
                        + (Boolean.TRUE.equals(dev.append()) ? ",append=on" : "");
            case PTY -> "pty,id=" + id;
            case UNIX ->
                "socket,id=" + id + ",path=" + commaEscape(dev.sourcePath())
                        + ("connect".equals(dev.sourceMode()) ? "" : ",server=on,wait=off");
        };
    }

    private static void graphics(DomainDef def, DriverSettings settings, List<String> a) {
        if (def.graphics().isEmpty()) {
            add(a, "-display", "none");
            return;
        }
        for (GraphicsDef g : def.graphics()) {
            String listen = g.listenAddress() == null ? "127.0.0.1" : g.listenAddress();
            switch (g.type()) {
                case VNC ->
                    add(a, "-vnc", (listen.contains(":") ? "[" + listen + "]" : listen) + ":" + (g.port() - 5900));
                case SPICE ->
                    add(
                            a,
                            "-spice",
                            "port=" + g.port()
                                    + (g.tlsPort() != null && g.tlsPort() > 0
                                            ? ",tls-port=" + g.tlsPort() + ",x509-dir="
                                                    + commaEscape(settings.migration()
                                                            .spiceX509Dir()
                                                            .toString())
                                            : "")
                                    + ",addr=" + listen + ",disable-ticketing=on,seamless-migration=on");
            }
        }
    }

    private static void video(DomainDef def, List<String> a) {
        int i = 0;
        for (VideoDef video : def.videos()) {
            String model = video.modelType() == null ? "vga" : video.modelType();
            String device = switch (model) {
                case "vga" -> i == 0 ? "VGA" : "secondary-vga";
                case "cirrus" -> "cirrus-vga";
                case "qxl" -> i == 0 ? "qxl-vga" : "qxl";
                case "virtio" -> i == 0 ? "virtio-vga" : "virtio-gpu-pci";
                case "none" -> null;
                default -> throw unsupported("video model '" + model + "'");
            };
            if (device != null) {
                add(
                        a,
                        "-device",
                        device + ",id=" + video.alias() + PciAddresses.suffix(video.info(), machineName(def)));
            }
            i++;
        }
    }

    private static VirtException unsupported(String what) {
        return VirtException.of(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, what + " is not supported");
    }

    private static void add(List<String> a, String... args) {
        a.addAll(List.of(args));
    }

    /** QEMU option values are comma-separated; a literal comma is written twice. */
    static String commaEscape(String value) {
        return value.replace(",", ",,");
    }
}

package io.jvirt.guest;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A kernel package unpacked with {@code dpkg-deb -x}: its bzImage and the modules the guest must load itself,
 * in load order. The cloud kernel builds as modules the ACPI power button and evdev (which the guest needs to see
 * QEMU's {@code system_powerdown}), virtio-pci, virtio-blk, virtio-scsi with the SCSI disk driver, and virtio-net.
 * Whether a driver is built in or a module is read from the package's own {@code boot/config-*}, so a kernel that
 * builds one in needs no module for it; a module's own dependencies come from its {@code depends=} (see
 * {@link ModuleInfo}), loaded before it. The cloud kernel has no AHCI driver, so a SATA disk stays invisible to
 * the guest. Runs on the calling thread.
 */
record KernelTree(Path vmlinuz, List<Path> modules) {
    /**
     * A driver the guest needs: its Kconfig symbol, its module's path under the module dir (when it is one), and
     * what the guest needs it for (named when the kernel lacks it).
     */
    private record Driver(String symbol, String modulePath, String purpose) {}

    // Order is load order (after each one's dependencies): the button should have evdev ready to bind to, and the
    // virtio device drivers find their devices once virtio-pci has enumerated them.
    private static final List<Driver> DRIVERS = List.of(
            new Driver("CONFIG_INPUT_EVDEV", "kernel/drivers/input/evdev.ko", "power off"),
            new Driver("CONFIG_ACPI_BUTTON", "kernel/drivers/acpi/button.ko", "power off"),
            new Driver("CONFIG_VIRTIO_PCI", "kernel/drivers/virtio/virtio_pci.ko", "virtio disks and NICs"),
            new Driver("CONFIG_VIRTIO_BLK", "kernel/drivers/block/virtio_blk.ko", "virtio disks"),
            new Driver("CONFIG_SCSI_VIRTIO", "kernel/drivers/scsi/virtio_scsi.ko", "SCSI disks"),
            new Driver("CONFIG_BLK_DEV_SD", "kernel/drivers/scsi/sd_mod.ko", "SCSI disks"),
            new Driver("CONFIG_VIRTIO_NET", "kernel/drivers/net/virtio_net.ko", "virtio NICs"));
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(5);

    KernelTree {
        modules = List.copyOf(modules);
    }

    /** Unpacks {@code deb} into {@code dir} (which must be empty or absent) and finds what the guest needs. */
    static KernelTree extract(Path deb, Path dir) {
        try {
            Files.createDirectories(dir);
            new ExternalCommand("dpkg-deb", "package dpkg (Debian)")
                    .run(dir, EXTRACT_TIMEOUT, List.of("-x", deb.toString(), dir.toString()));
            Path vmlinuz = single(dir.resolve("boot"), "vmlinuz-", deb);
            String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
            Path config = dir.resolve("boot").resolve("config-" + release);
            if (!Files.isRegularFile(config)) {
                throw missing("boot/config-" + release, deb);
            }
            List<String> configLines = Files.readAllLines(config, StandardCharsets.ISO_8859_1);
            Path moduleDir = dir.resolve("lib/modules").resolve(release);
            Map<String, Path> byName = moduleIndex(moduleDir);
            LinkedHashSet<Path> modules = new LinkedHashSet<>();
            for (Driver driver : DRIVERS) {
                switch (value(configLines, driver.symbol()).orElse("n")) {
                    case "y" -> {}
                    case "m" -> {
                        Path module = moduleDir.resolve(driver.modulePath());
                        if (!Files.isRegularFile(module)) {
                            throw missing("lib/modules/" + release + "/" + driver.modulePath(), deb);
                        }
                        addWithDependencies(module, byName, modules, new ArrayList<>(), deb);
                    }
                    default ->
                        throw VirtException.of(
                                ErrorCode.CONFIG_UNSUPPORTED,
                                ErrorDomain.NONE,
                                "kernel " + release + " lacks " + driver.symbol() + "; the guest needs it for "
                                        + driver.purpose());
                }
            }
            return new KernelTree(vmlinuz, List.copyOf(modules));
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.NONE,
                    "cannot read the unpacked kernel package in " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    /** Every uncompressed module under {@code moduleDir} by module name ({@code -} read as {@code _}, as kmod does). */
    private static Map<String, Path> moduleIndex(Path moduleDir) throws IOException {
        Map<String, Path> byName = new HashMap<>();
        if (!Files.isDirectory(moduleDir)) {
            return byName;
        }
        try (Stream<Path> files = Files.walk(moduleDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".ko")).forEach(p -> {
                String file = p.getFileName().toString();
                byName.putIfAbsent(moduleName(file.substring(0, file.length() - ".ko".length())), p);
            });
        }
        return byName;
    }

    static String moduleName(String name) {
        return name.replace('-', '_');
    }

    /** Adds {@code module} to {@code out} after its dependencies (depth first), each once. */
    private static void addWithDependencies(
            Path module, Map<String, Path> byName, LinkedHashSet<Path> out, List<Path> chain, Path deb)
            throws IOException {
        if (out.contains(module)) {
            return;
        }
        if (chain.contains(module)) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.NONE,
                    "modules in " + deb.getFileName() + " depend on each other in a circle: " + chain);
        }
        ModuleInfo info = ModuleInfo.parse(Files.readAllBytes(module))
                .orElseThrow(() -> VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.NONE,
                        module.getFileName() + " in " + deb.getFileName()
                                + " is no uncompressed ELF module with a .modinfo section"));
        chain.add(module);
        for (String dependency : info.depends()) {
            Path found = byName.get(moduleName(dependency));
            if (found == null) {
                throw missing("module " + dependency + " (needed by " + module.getFileName() + ")", deb);
            }
            addWithDependencies(found, byName, out, chain, deb);
        }
        chain.removeLast();
        out.add(module);
    }

    private static Optional<String> value(List<String> configLines, String symbol) {
        String prefix = symbol + "=";
        return configLines.stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).strip())
                .findFirst();
    }

    private static Path single(Path dir, String prefix, Path deb) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw missing(dir.getFileName() + "/" + prefix + "*", deb);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .toList();
            if (found.size() != 1) {
                throw VirtException.of(
                        ErrorCode.OPERATION_FAILED,
                        ErrorDomain.NONE,
                        "expected one " + prefix + "* in " + deb.getFileName() + ", found " + found.size());
            }
            return found.getFirst();
        }
    }

    private static VirtException missing(String what, Path deb) {
        return VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.NONE, deb.getFileName() + " has no " + what);
    }
}

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
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A kernel package unpacked with {@code dpkg-deb -x}: its bzImage and the modules the guest must load itself.
 * The cloud kernel builds the ACPI power button and evdev drivers as modules; the guest needs both to see
 * QEMU's {@code system_powerdown}. Whether a driver is built in or a module is read from the package's own
 * {@code boot/config-*}, so a kernel that builds them in needs no module. Runs on the calling thread.
 */
record KernelTree(Path vmlinuz, List<Path> modules) {
    /** A driver the guest needs: its Kconfig symbol and, when it is a module, its path under the module dir. */
    private record Driver(String symbol, String modulePath) {}

    // Order is load order: neither depends on the other, but the button should have evdev ready to bind to.
    private static final List<Driver> DRIVERS = List.of(
            new Driver("CONFIG_INPUT_EVDEV", "kernel/drivers/input/evdev.ko"),
            new Driver("CONFIG_ACPI_BUTTON", "kernel/drivers/acpi/button.ko"));
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
            List<Path> modules = new ArrayList<>();
            for (Driver driver : DRIVERS) {
                switch (value(configLines, driver.symbol()).orElse("n")) {
                    case "y" -> {}
                    case "m" -> {
                        Path module = moduleDir.resolve(driver.modulePath());
                        if (!Files.isRegularFile(module)) {
                            throw missing("lib/modules/" + release + "/" + driver.modulePath(), deb);
                        }
                        modules.add(module);
                    }
                    default ->
                        throw VirtException.of(
                                ErrorCode.CONFIG_UNSUPPORTED,
                                ErrorDomain.NONE,
                                "kernel " + release + " lacks " + driver.symbol()
                                        + "; the guest needs it for power off");
                }
            }
            return new KernelTree(vmlinuz, modules);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.SYSTEM_ERROR,
                    ErrorDomain.NONE,
                    "cannot read the unpacked kernel package in " + dir + ": " + e.getMessage(),
                    e);
        }
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

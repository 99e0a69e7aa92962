package io.jvirt.driver.root;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The QEMU driver's settings, read from {@code DIR/etc/jvirt.conf} (libvirt conf syntax). Every key is optional:
 * <pre>
 * host_uuid = "8f9c…"                 # fix the host UUID instead of generating one
 * qemu_binary = "/usr/bin/qemu-system-x86_64"   # used when a domain names no emulator
 * monitor_timeout_ms = 30000           # how long one QMP command may take
 * start_timeout_ms = 30000             # how long a starting QEMU may take to open its monitor
 * save_image_format = "raw"            # raw, gzip, bzip2, xz, lzop, zstd (as qemu.conf's)
 * dump_image_format = "raw"
 * </pre>
 * the migration settings of {@link MigrationSettings} and QEMU's confinement, {@link SecuritySettings}.
 */
public record DriverSettings(
        Optional<UUID> hostUuid,
        Path qemuBinary,
        Duration monitorTimeout,
        Duration startTimeout,
        String saveImageFormat,
        String dumpImageFormat,
        MigrationSettings migration,
        SecuritySettings security) {

    /** Defaults, with QEMU {@link SecuritySettings#UNCONFINED unconfined} (argv golden tests). */
    public DriverSettings(Optional<UUID> hostUuid, Path qemuBinary, Duration monitorTimeout, Duration startTimeout) {
        this(
                hostUuid,
                qemuBinary,
                monitorTimeout,
                startTimeout,
                "raw",
                "raw",
                MigrationSettings.DEFAULT,
                SecuritySettings.UNCONFINED);
    }

    public static final Path DEFAULT_QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    public static DriverSettings load(HostRoot root) {
        ConfFile conf = ConfFile.load(root.settingsFile());
        Optional<UUID> hostUuid = Optional.ofNullable(conf.string("host_uuid", null))
                .map(text -> {
                    try {
                        return UUID.fromString(text);
                    } catch (IllegalArgumentException e) {
                        throw VirtException.of(
                                ErrorCode.CONF_SYNTAX,
                                ErrorDomain.CONF,
                                root.settingsFile() + ": host_uuid '" + text + "' is not a UUID");
                    }
                });
        return new DriverSettings(
                hostUuid,
                Path.of(conf.string("qemu_binary", DEFAULT_QEMU.toString())),
                positiveMillis(conf, "monitor_timeout_ms", 30_000),
                positiveMillis(conf, "start_timeout_ms", 30_000),
                conf.string("save_image_format", "raw"),
                conf.string("dump_image_format", "raw"),
                MigrationSettings.load(conf, root.settingsFile()),
                SecuritySettings.load(conf, root.settingsFile()));
    }

    private static Duration positiveMillis(ConfFile conf, String key, long fallback) {
        long millis = conf.number(key, fallback);
        if (millis <= 0) {
            throw VirtException.of(
                    ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, "setting '" + key + "' must be above 0, not " + millis);
        }
        return Duration.ofMillis(millis);
    }
}

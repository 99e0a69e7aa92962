package io.jvirt.driver.root;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * The host's UUID: the configured one, else the one generated the first time this root was opened and kept in
 * {@code DIR/lib/host-uuid}. Migration refuses a destination whose host UUID equals the source's, so two roots
 * on one machine must differ, and each must keep its UUID across restarts.
 */
public final class HostIdentity {
    private HostIdentity() {}

    public static UUID resolve(HostRoot root, DriverSettings settings) {
        if (settings.hostUuid().isPresent()) {
            return settings.hostUuid().get();
        }
        try {
            if (Files.exists(root.hostUuidFile())) {
                return UUID.fromString(Files.readString(root.hostUuidFile()).strip());
            }
            UUID fresh = UUID.randomUUID();
            AtomicFiles.write(root.hostUuidFile(), fresh + "\n");
            return fresh;
        } catch (IOException | IllegalArgumentException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "cannot read or create host UUID in " + root.hostUuidFile() + ": " + e.getMessage(),
                    e);
        }
    }
}

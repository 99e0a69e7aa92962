package io.jvirt.driver.save;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Builds this package's {@link VirtException}s, so every I/O failure reads the same way. */
final class SaveErrors {
    private SaveErrors() {}

    /** SYSTEM_ERROR: {@code what} failed, with the OS reason (NIO's messages often give only the path). */
    static VirtException io(String what, IOException e) {
        return VirtException.of(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, what + ": " + reason(e), e);
    }

    /** OPERATION_FAILED with a complete detail. */
    static VirtException failed(String detail, Throwable cause) {
        return VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, detail, cause);
    }

    static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "No such file or directory";
            case AccessDeniedException a -> "Permission denied";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }
}

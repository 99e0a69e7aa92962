package io.jvirt.cli.migrate;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.ErrorLevel;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the XML files of {@code migrate --xml}/{@code --persistent-xml}, failing as virsh does: "cannot read file
 * 'F'" and then the reason. Any thread.
 */
final class MigrationXmlFile {
    // virsh's own limit for XML files it reads; a domain XML is a few KiB.
    static final long MAX_BYTES = 10L * 1024 * 1024;

    private MigrationXmlFile() {}

    static String read(String file) {
        Path path = Path.of(file);
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw failed(file, "file is larger than " + MAX_BYTES + " bytes");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw failed(file, "No such file or directory");
        } catch (AccessDeniedException e) {
            throw failed(file, "Permission denied");
        } catch (IOException e) {
            throw failed(file, e.getMessage());
        }
    }

    private static CliError failed(String file, String reason) {
        return new CliError(
                "cannot read file '" + file + "'",
                new VirtException(
                        ErrorCode.SYSTEM_ERROR,
                        ErrorDomain.NONE,
                        ErrorLevel.ERROR,
                        "Failed to open file '" + file + "': " + reason,
                        null));
    }
}

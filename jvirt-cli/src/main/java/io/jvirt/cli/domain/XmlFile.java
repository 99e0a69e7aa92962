package io.jvirt.cli.domain;

import io.jvirt.cli.command.CliError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the XML file given to {@code define} and {@code create}, failing in virsh's words. */
final class XmlFile {
    // Domain XML is a few KiB; refuse anything that could not plausibly be one rather than read it whole.
    static final long MAX_BYTES = 10L * 1024 * 1024;

    private XmlFile() {}

    static String read(String file) {
        Path path = Path.of(file);
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new CliError("Failed to open file '" + file + "': file is larger than " + MAX_BYTES + " bytes");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliError("Failed to open file '" + file + "': No such file or directory");
        } catch (AccessDeniedException e) {
            throw new CliError("Failed to open file '" + file + "': Permission denied");
        } catch (IOException e) {
            throw new CliError("Failed to open file '" + file + "': " + e.getMessage());
        }
    }
}

package io.jvirt.driver.save;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the migration stream inside a save image (or a core dump) is compressed. The numbers are stored in the image
 * header and are on-disk ABI shared with libvirt: new formats go at the end with new numbers, none is ever reused.
 * The program is named after the format and found on the search path; its argument lists are fixed here.
 */
public enum SaveFormat {
    RAW(0, "raw", List.of(), List.of()),
    GZIP(1, "gzip", List.of("-c"), List.of("-dc")),
    BZIP2(2, "bzip2", List.of("-c"), List.of("-dc")),
    XZ(3, "xz", List.of("-c", "-3"), List.of("-dc")),
    LZOP(4, "lzop", List.of("-c"), List.of("-dc", "--ignore-warn")),
    ZSTD(5, "zstd", List.of("-c", "-q"), List.of("-dc", "-q"));

    private final int diskValue;
    private final String formatName;
    private final List<String> compressArgs;
    private final List<String> decompressArgs;

    SaveFormat(int diskValue, String formatName, List<String> compressArgs, List<String> decompressArgs) {
        this.diskValue = diskValue;
        this.formatName = formatName;
        this.compressArgs = compressArgs;
        this.decompressArgs = decompressArgs;
    }

    /** The number stored in the header's {@code compressed} field. */
    public int diskValue() {
        return diskValue;
    }

    /** The name used in configuration ({@code save_image_format}) and messages, e.g. {@code "xz"}. */
    public String formatName() {
        return formatName;
    }

    public boolean isCompressed() {
        return this != RAW;
    }

    /** The program's name (also the format name); empty for {@link #RAW}. */
    public Optional<String> program() {
        return isCompressed() ? Optional.of(formatName) : Optional.empty();
    }

    /** argv of the compressor with the bare program name first, e.g. {@code [xz, -c, -3]}; empty for raw. */
    public List<String> compressArgv() {
        return isCompressed() ? argv(formatName, compressArgs) : List.of();
    }

    /** argv of the decompressor with the bare program name first, e.g. {@code [lzop, -dc, --ignore-warn]}. */
    public List<String> decompressArgv() {
        return isCompressed() ? argv(formatName, decompressArgs) : List.of();
    }

    /** The compressor's argv with the program resolved to an absolute path (so no shell or PATH is involved). */
    List<String> compressCommand(ProgramSearch programs) {
        return argv(checkAvailable(programs).orElseThrow().toString(), compressArgs);
    }

    /** The decompressor's argv with the program resolved to an absolute path. */
    List<String> decompressCommand(ProgramSearch programs) {
        return argv(checkAvailable(programs).orElseThrow().toString(), decompressArgs);
    }

    /** As {@link #checkAvailable(ProgramSearch)} on the daemon's own search path. */
    public Optional<Path> checkAvailable() {
        return checkAvailable(ProgramSearch.system());
    }

    /**
     * Finds this format's program, so a save fails before any file is touched when it is missing. Returns the
     * program's path, or empty for {@link #RAW}, which needs none.
     *
     * @throws VirtException OPERATION_FAILED with libvirt's wording when the program is not installed
     */
    public Optional<Path> checkAvailable(ProgramSearch programs) {
        if (!isCompressed()) {
            return Optional.empty();
        }
        Optional<Path> found = programs.find(formatName);
        if (found.isEmpty()) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "Compression program for " + formatName + " image format in configuration file isn't available");
        }
        return found;
    }

    /**
     * The format called {@code name} (as written in configuration).
     *
     * @throws VirtException INVALID_ARG naming the bad name and the valid ones
     */
    public static SaveFormat fromName(String name) {
        for (SaveFormat f : values()) {
            if (f.formatName.equals(name)) {
                return f;
            }
        }
        throw VirtException.of(
                ErrorCode.INVALID_ARG,
                ErrorDomain.QEMU,
                "unknown save image format '" + name + "', expected one of: " + names());
    }

    /**
     * The format stored as {@code value} in an image header.
     *
     * @throws VirtException OPERATION_FAILED for a number no known format has (a corrupt or newer image)
     */
    public static SaveFormat fromDisk(int value) {
        for (SaveFormat f : values()) {
            if (f.diskValue == value) {
                return f;
            }
        }
        throw VirtException.of(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "Invalid compressed save format " + value);
    }

    private static String names() {
        return Arrays.stream(values()).map(SaveFormat::formatName).collect(Collectors.joining(", "));
    }

    private static List<String> argv(String program, List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(program);
        argv.addAll(args);
        return List.copyOf(argv);
    }
}

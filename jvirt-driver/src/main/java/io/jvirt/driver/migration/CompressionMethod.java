package io.jvirt.driver.migration;

import java.util.Optional;

/**
 * A value of the {@code compression} migration parameter. The string is what travels in the typed parameter; the
 * constant order is libvirt's, which is also the order in which methods are dumped back into parameters.
 *
 * <p>{@link #MT} is still accepted because libvirt accepts it, but it maps to QEMU's {@code compress}
 * capability, which QEMU 10 no longer has, so a migration asking for it is refused when the capabilities are checked
 * against the QEMU binary. {@link #ZLIB} and {@link #ZSTD} are multifd compressions and need parallel migration.
 */
public enum CompressionMethod {
    XBZRLE("xbzrle", false),
    MT("mt", false),
    ZLIB("zlib", true),
    ZSTD("zstd", true);

    private final String paramValue;
    private final boolean multifd;

    CompressionMethod(String paramValue, boolean multifd) {
        this.paramValue = paramValue;
        this.multifd = multifd;
    }

    /** The string of the {@code compression} typed parameter, e.g. {@code "zstd"}. */
    public String paramValue() {
        return paramValue;
    }

    /** True for the methods QEMU runs inside multifd channels (set through {@code multifd-compression}). */
    public boolean multifd() {
        return multifd;
    }

    /** The method a {@code compression} parameter names; empty for an unknown string. */
    public static Optional<CompressionMethod> fromParam(String value) {
        for (CompressionMethod m : values()) {
            if (m.paramValue.equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}

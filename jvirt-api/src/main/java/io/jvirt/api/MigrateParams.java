package io.jvirt.api;

/**
 * The names of libvirt's migration typed parameters ({@code VIR_MIGRATE_PARAM_*}), as the v3 "params" calls carry
 * them. Sizes are MiB/s for bandwidths and bytes for the xbzrle cache, as in libvirt.
 */
public final class MigrateParams {
    public static final String URI = "migrate_uri";
    public static final String DEST_NAME = "destination_name";
    public static final String DEST_XML = "destination_xml";
    public static final String PERSIST_XML = "persistent_xml";
    public static final String BANDWIDTH = "bandwidth";
    public static final String BANDWIDTH_POSTCOPY = "bandwidth.postcopy";
    public static final String GRAPHICS_URI = "graphics_uri";
    public static final String LISTEN_ADDRESS = "listen_address";
    public static final String MIGRATE_DISKS = "migrate_disks";
    public static final String DISKS_PORT = "disks_port";
    public static final String DISKS_URI = "disks_uri";
    public static final String COMPRESSION = "compression";
    public static final String COMPRESSION_MT_LEVEL = "compression.mt.level";
    public static final String COMPRESSION_MT_THREADS = "compression.mt.threads";
    public static final String COMPRESSION_MT_DTHREADS = "compression.mt.dthreads";
    public static final String COMPRESSION_XBZRLE_CACHE = "compression.xbzrle.cache";
    public static final String COMPRESSION_ZLIB_LEVEL = "compression.zlib.level";
    public static final String COMPRESSION_ZSTD_LEVEL = "compression.zstd.level";
    public static final String AUTO_CONVERGE_INITIAL = "auto_converge.initial";
    public static final String AUTO_CONVERGE_INCREMENT = "auto_converge.increment";
    public static final String PARALLEL_CONNECTIONS = "parallel.connections";
    public static final String TLS_DESTINATION = "tls.destination";

    private MigrateParams() {}
}

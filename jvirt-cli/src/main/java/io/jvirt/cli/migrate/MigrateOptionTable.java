package io.jvirt.cli.migrate;

import java.util.List;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options of {@code migrate}, as tables rather than fifty annotated fields: switches, and named values in
 * virsh 11.3's declaration order. Installed into picocli's model before parsing. Pure; any thread.
 */
public final class MigrateOptionTable implements IModelTransformer {
    /** A named option: its name without dashes and a line of help. */
    record Entry(String name, String help) {}

    /** Options that take no value. */
    static final List<Entry> SWITCHES = List.of(
            new Entry("live", "migrate while the guest keeps running"),
            new Entry("offline", "migrate only the definition, not a running guest"),
            new Entry("p2p", "let the source host drive the migration (peer to peer)"),
            new Entry("direct", "let the hypervisors migrate directly"),
            new Entry("tunnelled", "carry the migration data over the daemons' connection"),
            new Entry("persistent", "define the domain persistently on the destination"),
            new Entry("undefinesource", "remove the domain's definition from the source"),
            new Entry("suspend", "leave the domain paused on the destination"),
            new Entry("copy-storage-all", "copy the disks too (non-shared storage, full copy)"),
            new Entry("copy-storage-inc", "copy the disks' top layer (base images are shared)"),
            new Entry("copy-storage-synchronous-writes", "mirror guest disk writes synchronously while copying"),
            new Entry("change-protection", "refuse configuration changes until the migration ends"),
            new Entry("unsafe", "migrate even where jvirt judges it unsafe"),
            new Entry("verbose", "show the migration's progress"),
            new Entry("compressed", "compress repeated pages"),
            new Entry("auto-converge", "throttle the guest's vCPUs until the migration converges"),
            new Entry("rdma-pin-all", "pin all guest memory before an RDMA migration"),
            new Entry("abort-on-error", "abort on soft errors (I/O errors) during migration"),
            new Entry("postcopy", "allow switching to post-copy (see migrate-postcopy)"),
            new Entry("postcopy-after-precopy", "switch to post-copy once the first pre-copy pass is done"),
            new Entry("postcopy-resume", "resume a failed post-copy migration"),
            new Entry("zerocopy", "send memory pages without copying them (needs --parallel)"),
            new Entry("timeout-suspend", "on --timeout, suspend the guest (the default)"),
            new Entry("timeout-postcopy", "on --timeout, switch to post-copy"),
            new Entry("tls", "encrypt the migration with TLS"),
            new Entry("parallel", "migrate over several connections"));

    /**
     * The options that, as in virsh 11.3, may also be given by position, in the order positional arguments fill
     * those not given by name: {@code migrate DOM URI tcp:h:49152 spice://h} sets {@code --migrateuri} and then
     * {@code --graphicsuri}. Options added to virsh later are by name only.
     */
    static final List<String> POSITIONAL = List.of(
            "domain",
            "desturi",
            "migrateuri",
            "graphicsuri",
            "listen-address",
            "dname",
            "timeout",
            "xml",
            "migrate-disks",
            "disks-port");

    /** Options that take a value. */
    static final List<Entry> VALUES = List.of(
            new Entry("migrateuri", "where the destination's hypervisor listens (usually omitted)"),
            new Entry("graphicsuri", "where graphics clients should reconnect to"),
            new Entry("listen-address", "address the destination listens on for the migration"),
            new Entry("dname", "the domain's name on the destination"),
            new Entry("timeout", "seconds after which a live migration is forced (see --timeout-*)"),
            new Entry("xml", "file with the domain XML to use on the destination"),
            new Entry("migrate-disks", "comma separated disk targets to copy"),
            new Entry("migrate-disks-detect-zeroes", "comma separated disk targets to copy with zero detection"),
            new Entry("disks-port", "port the destination uses for incoming disk data"),
            new Entry("disks-uri", "URI for the disk data (overrides --disks-port)"),
            new Entry("comp-methods", "comma separated compression methods"),
            new Entry("comp-mt-level", "multithread compression level"),
            new Entry("comp-mt-threads", "multithread compression threads"),
            new Entry("comp-mt-dthreads", "multithread decompression threads"),
            new Entry("comp-xbzrle-cache", "xbzrle page cache size in bytes"),
            new Entry("auto-converge-initial", "initial vCPU throttling for --auto-converge, in percent"),
            new Entry("auto-converge-increment", "vCPU throttling increment for --auto-converge, in percent"),
            new Entry("persistent-xml", "file with the persistent domain XML for the destination"),
            new Entry("postcopy-bandwidth", "post-copy bandwidth limit in MiB/s"),
            new Entry(
                    "parallel-connections",
                    "number of connections for --parallel; with --p2p --tunnelled "
                            + "between jvirtds, multifd channels each in its own stream"),
            new Entry("bandwidth", "bandwidth limit in MiB/s"),
            new Entry("tls-destination", "host name to verify the destination's TLS certificate against"),
            new Entry("comp-zlib-level", "zlib compression level"),
            new Entry("comp-zstd-level", "zstd compression level"),
            new Entry("available-switchover-bandwidth", "bandwidth in MiB/s available for the final switch-over"));

    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (Entry e : SWITCHES) {
            OptionSpec.Builder b = OptionSpec.builder(names(e.name()))
                    .arity("0")
                    .type(boolean.class)
                    .description(e.help());
            spec.addOption(b.build());
        }
        for (Entry e : VALUES) {
            spec.addOption(OptionSpec.builder("--" + e.name())
                    .arity("1")
                    .type(String.class)
                    .paramLabel("<" + (isNumber(e.name()) ? "number" : "string") + ">")
                    .description(e.help())
                    .build());
        }
        return spec;
    }

    // virsh accepts the American spelling as an alias.
    private static String[] names(String name) {
        return name.equals("tunnelled") ? new String[] {"--tunnelled", "--tunneled"} : new String[] {"--" + name};
    }

    private static boolean isNumber(String name) {
        return switch (name) {
            case "timeout",
                    "disks-port",
                    "comp-mt-level",
                    "comp-mt-threads",
                    "comp-mt-dthreads",
                    "comp-xbzrle-cache",
                    "auto-converge-initial",
                    "auto-converge-increment",
                    "postcopy-bandwidth",
                    "parallel-connections",
                    "bandwidth",
                    "comp-zlib-level",
                    "comp-zstd-level",
                    "available-switchover-bandwidth" -> true;
            default -> false;
        };
    }
}

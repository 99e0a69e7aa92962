package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrateParams;
import io.jvirt.api.TypedParam;
import io.jvirt.api.TypedParam.Type;
import io.jvirt.api.VirtException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The typed parameters a migration call may carry (libvirt's {@code QEMU_MIGRATION_PARAMETERS}): their names, types
 * and whether they may repeat, the validation libvirt runs on them before anything else, and typed reads.
 *
 * <p>Stateless; any thread.
 */
final class MigrationOptionsParams {
    private record Spec(Type type, boolean multiple) {}

    private static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry(MigrateParams.URI, new Spec(Type.STRING, false)),
            Map.entry(MigrateParams.DEST_NAME, new Spec(Type.STRING, false)),
            Map.entry(MigrateParams.DEST_XML, new Spec(Type.STRING, false)),
            Map.entry(MigrateParams.PERSIST_XML, new Spec(Type.STRING, false)),
            Map.entry(MigrateParams.BANDWIDTH, new Spec(Type.ULLONG, false)),
            Map.entry(MigrateParams.BANDWIDTH_POSTCOPY, new Spec(Type.ULLONG, false)),
            Map.entry(MigrateParams.GRAPHICS_URI, new Spec(Type.STRING, false)),
            Map.entry(MigrateParams.LISTEN_ADDRESS, new Spec(Type.STRING, false)),
            Map.entry(MigrateParams.MIGRATE_DISKS, new Spec(Type.STRING, true)),
            Map.entry(MigrateParams.DISKS_PORT, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.DISKS_URI, new Spec(Type.STRING, false)),
            Map.entry(MigrateParams.COMPRESSION, new Spec(Type.STRING, true)),
            Map.entry(MigrateParams.COMPRESSION_MT_LEVEL, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.COMPRESSION_MT_THREADS, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.COMPRESSION_MT_DTHREADS, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.COMPRESSION_XBZRLE_CACHE, new Spec(Type.ULLONG, false)),
            Map.entry(MigrateParams.COMPRESSION_ZLIB_LEVEL, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.COMPRESSION_ZSTD_LEVEL, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.AUTO_CONVERGE_INITIAL, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.AUTO_CONVERGE_INCREMENT, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.PARALLEL_CONNECTIONS, new Spec(Type.INT, false)),
            Map.entry(MigrateParams.TLS_DESTINATION, new Spec(Type.STRING, false)));

    private MigrationOptionsParams() {}

    /**
     * libvirt's typed-parameter validation: parameters are looked at sorted by name, and the first that is unknown,
     * repeated without being multi-valued, or of the wrong type is refused. An unknown name ends the walk, so a
     * problem with a name sorting after it is not reported.
     */
    static void validate(List<TypedParam> params) {
        List<TypedParam> sorted = new ArrayList<>(params);
        sorted.sort(Comparator.comparing(TypedParam::field));
        String previous = null;
        for (TypedParam p : sorted) {
            Spec spec = SPECS.get(p.field());
            if (spec == null) {
                throw VirtException.of(
                        ErrorCode.ARGUMENT_UNSUPPORTED,
                        ErrorDomain.NONE,
                        "parameter '" + p.field() + "' not supported");
            }
            if (p.field().equals(previous) && !spec.multiple()) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG, ErrorDomain.NONE, "parameter '" + p.field() + "' occurs multiple times");
            }
            if (p.type() != spec.type()) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG,
                        ErrorDomain.NONE,
                        "invalid type '" + typeName(p.type()) + "' for parameter '" + p.field() + "', expected '"
                                + typeName(spec.type()) + "'");
            }
            if (!holds(p)) {
                throw VirtException.of(
                        ErrorCode.INVALID_ARG,
                        ErrorDomain.NONE,
                        "parameter '" + p.field() + "' of type '" + typeName(p.type())
                                + "' holds a value of another type: " + p.value());
            }
            previous = p.field();
        }
    }

    /** The value is of the Java type {@link TypedParam} promises for its type, so later reads cannot fail. */
    private static boolean holds(TypedParam p) {
        return switch (p.type()) {
            case INT, UINT -> p.value() instanceof Integer;
            case LLONG, ULLONG -> p.value() instanceof Long;
            case DOUBLE -> p.value() instanceof Double;
            case BOOLEAN -> p.value() instanceof Boolean;
            case STRING -> p.value() instanceof String;
        };
    }

    /** libvirt's spelling of a typed-parameter type in messages. */
    static String typeName(Type type) {
        return switch (type) {
            case INT -> "int";
            case UINT -> "uint";
            case LLONG -> "llong";
            case ULLONG -> "ullong";
            case DOUBLE -> "double";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
        };
    }

    static String string(List<TypedParam> params, String name) {
        return (String) TypedParam.find(params, name).orElse(null);
    }

    static Integer integer(List<TypedParam> params, String name) {
        return (Integer) TypedParam.find(params, name).orElse(null);
    }

    static Long ullong(List<TypedParam> params, String name) {
        return (Long) TypedParam.find(params, name).orElse(null);
    }

    /** Every value of a multi-valued string parameter, in the order given. */
    static List<String> strings(List<TypedParam> params, String name) {
        return params.stream()
                .filter(p -> p.field().equals(name))
                .map(p -> (String) p.value())
                .toList();
    }
}

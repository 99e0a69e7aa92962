package io.jvirt.daemon;

import io.jvirt.rpc.proto.Procedure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Procedure number to {@link Route}, declared once in the route groups ({@link ConnectRoutes},
 * {@link DomainRoutes}, {@link JobRoutes}, {@link MigrationRoutes}, {@link EventRoutes},
 * {@link DailyRoutes}). Immutable once built.
 */
public final class DispatchTable {
    private final Map<Integer, Route<?, ?>> routes;
    private final Map<Integer, Route<?, ?>> jvirtRoutes;
    private final Map<Integer, Route<?, ?>> qemuRoutes;

    private DispatchTable(
            Map<Integer, Route<?, ?>> routes,
            Map<Integer, Route<?, ?>> jvirtRoutes,
            Map<Integer, Route<?, ?>> qemuRoutes) {
        this.routes = Collections.unmodifiableMap(routes);
        this.jvirtRoutes = Collections.unmodifiableMap(jvirtRoutes);
        this.qemuRoutes = Collections.unmodifiableMap(qemuRoutes);
    }

    /** Every procedure jvirtd serves. */
    public static DispatchTable standard() {
        Builder b = new Builder();
        ConnectRoutes.addTo(b);
        DomainRoutes.addTo(b);
        DeviceRoutes.addTo(b);
        JobRoutes.addTo(b);
        MigrationRoutes.addTo(b);
        EventRoutes.addTo(b);
        StatsRoutes.addTo(b);
        HostRoutes.addTo(b);
        DailyRoutes.addTo(b);
        return new DispatchTable(b.routes, b.jvirtRoutes, b.qemuRoutes);
    }

    public Optional<Route<?, ?>> route(int procedure) {
        return Optional.ofNullable(routes.get(procedure));
    }

    /** A procedure of jvirt's own program ({@link io.jvirt.rpc.wire.Program#JVIRT}). */
    public Optional<Route<?, ?>> jvirtRoute(int procedure) {
        return Optional.ofNullable(jvirtRoutes.get(procedure));
    }

    /** A procedure of libvirt's QEMU program ({@link io.jvirt.rpc.wire.Program#QEMU}). */
    public Optional<Route<?, ?>> qemuRoute(int procedure) {
        return Optional.ofNullable(qemuRoutes.get(procedure));
    }

    public Map<Integer, Route<?, ?>> routes() {
        return routes;
    }

    /** Collects routes; a procedure declared twice is a programming error. */
    static final class Builder {
        private final Map<Integer, Route<?, ?>> routes = new LinkedHashMap<>();
        private final Map<Integer, Route<?, ?>> jvirtRoutes = new LinkedHashMap<>();
        private final Map<Integer, Route<?, ?>> qemuRoutes = new LinkedHashMap<>();

        /** A procedure that only reads. */
        <A, R> void query(Procedure<A, R> p, Handler<A, R> h) {
            add(new Route<>(p, Access.QUERY, h));
        }

        /** A procedure that changes something: refused to read-only clients. */
        <A, R> void mutate(Procedure<A, R> p, Handler<A, R> h) {
            add(new Route<>(p, Access.MUTATE, h));
        }

        /** A procedure of jvirt's own program that changes something. */
        <A, R> void jvirt(Procedure<A, R> p, Handler<A, R> h) {
            add(jvirtRoutes, new Route<>(p, Access.MUTATE, h));
        }

        /** A procedure of libvirt's QEMU program; all of them change or may change the guest. */
        <A, R> void qemu(Procedure<A, R> p, Handler<A, R> h) {
            add(qemuRoutes, new Route<>(p, Access.MUTATE, h));
        }

        private void add(Route<?, ?> r) {
            add(routes, r);
        }

        private static void add(Map<Integer, Route<?, ?>> table, Route<?, ?> r) {
            if (table.putIfAbsent(r.procedure().number(), r) != null) {
                throw new IllegalStateException(r.procedure() + " routed twice");
            }
        }
    }
}

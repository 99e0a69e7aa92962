package io.jvirt.daemon;

import io.jvirt.rpc.proto.Procedure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Procedure number to {@link Route}, declared once in the route groups ({@link ConnectRoutes},
 * {@link DomainRoutes}, {@link JobRoutes}, {@link MigrationRoutes}, {@link EventRoutes}). Immutable once built.
 */
public final class DispatchTable {
    private final Map<Integer, Route<?, ?>> routes;

    private DispatchTable(Map<Integer, Route<?, ?>> routes) {
        this.routes = Collections.unmodifiableMap(routes);
    }

    /** Every procedure jvirtd serves. */
    public static DispatchTable standard() {
        Builder b = new Builder();
        ConnectRoutes.addTo(b);
        DomainRoutes.addTo(b);
        JobRoutes.addTo(b);
        MigrationRoutes.addTo(b);
        EventRoutes.addTo(b);
        return new DispatchTable(b.routes);
    }

    public Optional<Route<?, ?>> route(int procedure) {
        return Optional.ofNullable(routes.get(procedure));
    }

    public Map<Integer, Route<?, ?>> routes() {
        return routes;
    }

    /** Collects routes; a procedure declared twice is a programming error. */
    static final class Builder {
        private final Map<Integer, Route<?, ?>> routes = new LinkedHashMap<>();

        /** A procedure that only reads. */
        <A, R> void query(Procedure<A, R> p, Handler<A, R> h) {
            add(new Route<>(p, Access.QUERY, h));
        }

        /** A procedure that changes something: refused to read-only clients. */
        <A, R> void mutate(Procedure<A, R> p, Handler<A, R> h) {
            add(new Route<>(p, Access.MUTATE, h));
        }

        private void add(Route<?, ?> r) {
            if (routes.putIfAbsent(r.procedure().number(), r) != null) {
                throw new IllegalStateException(r.procedure() + " routed twice");
            }
        }
    }
}

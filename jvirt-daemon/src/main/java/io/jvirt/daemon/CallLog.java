package io.jvirt.daemon;

import io.jvirt.api.DomainRef;
import io.jvirt.daemon.observe.CallObserver;
import io.jvirt.rpc.proto.MigrationV2Wire.Finish2Args;
import io.jvirt.rpc.proto.MigrationV2Wire.Prepare2Args;
import io.jvirt.rpc.proto.MigrationV2Wire.PrepareTunnelArgs;
import io.jvirt.rpc.proto.MigrationWire.Finish3ParamsArgs;
import io.jvirt.rpc.proto.MigrationWire.Prepare3ParamsArgs;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * What one call did, for its DEBUG line and the call observer: the client, the procedure, the domain its args
 * name, the result and how long it took. One instance per call, filled on the call's thread.
 */
final class CallLog {
    private static final System.Logger LOG = System.getLogger("io.jvirt.daemon.calls");

    private final long clientId;
    private final String procedure;
    private final CallObserver observer;
    private final long startNanos = System.nanoTime();
    private String domain = "-";
    private Object args;

    CallLog(long clientId, String procedure) {
        this(clientId, procedure, CallObserver.NONE);
    }

    CallLog(long clientId, String procedure, CallObserver observer) {
        this.clientId = clientId;
        this.procedure = procedure;
        this.observer = observer;
    }

    /** The call's args decoded: the domain they name is noted, and the observer hears the call start. */
    void decoded(Object decodedArgs) {
        this.args = decodedArgs;
        String name = domainOf(decodedArgs);
        if (name != null) {
            domain = name;
        }
        observer.started(procedure, decodedArgs, name);
    }

    void ok() {
        finish(0, "ok");
    }

    void error(int code) {
        finish(code, "error " + code);
    }

    private void finish(int code, String result) {
        long nanos = System.nanoTime() - startNanos;
        observer.finished(procedure, args, args == null || domain.equals("-") ? null : domain, code, nanos);
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "client {0} {1} dom={2} {3} {4} ms",
                    clientId,
                    procedure,
                    domain,
                    result,
                    nanos / 1_000_000);
        }
    }

    /**
     * The name of the domain an args struct refers to: the struct itself, or its first domain field; for the calls
     * of an incoming migration, the name the domain will have here.
     */
    static String domainOf(Object args) {
        try {
            return switch (args) {
                case DomainRef d -> d.name();
                case Prepare3ParamsArgs p -> MigrationRoutes.incomingName(p.params(), null);
                case Finish3ParamsArgs f -> MigrationRoutes.incomingName(f.params(), null);
                case Prepare2Args p ->
                    MigrationRoutes.incomingName(List.of(), p.dname() != null ? p.dname() : xmlName(p.domXml()));
                case PrepareTunnelArgs p ->
                    MigrationRoutes.incomingName(List.of(), p.dname() != null ? p.dname() : xmlName(p.domXml()));
                case Finish2Args f -> f.dname();
                case Record r -> firstDomainField(r);
                case null, default -> null;
            };
        } catch (RuntimeException e) {
            return null; // args naming no domain the way its call expects: the call itself will refuse them
        }
    }

    private static String xmlName(String xml) {
        return io.jvirt.config.DomainXml.parse(xml).name();
    }

    private static String firstDomainField(Record r) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getType() == DomainRef.class) {
                try {
                    Object v = c.getAccessor().invoke(r);
                    return v == null ? null : ((DomainRef) v).name();
                } catch (ReflectiveOperationException e) {
                    return null;
                }
            }
        }
        return null;
    }
}

package io.jvirt.daemon;

import io.jvirt.api.DomainRef;
import java.lang.reflect.RecordComponent;

/**
 * What one call did, for its DEBUG line: the client, the procedure, the domain its args name, the result and
 * how long it took. One instance per call, filled on the call's thread.
 */
final class CallLog {
    private static final System.Logger LOG = System.getLogger("io.jvirt.daemon.calls");

    private final long clientId;
    private final String procedure;
    private final long startNanos = System.nanoTime();
    private String domain = "-";

    CallLog(long clientId, String procedure) {
        this.clientId = clientId;
        this.procedure = procedure;
    }

    void domain(String name) {
        if (name != null) {
            domain = name;
        }
    }

    void ok() {
        finish("ok");
    }

    void error(int code) {
        finish("error " + code);
    }

    private void finish(String result) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "client {0} {1} dom={2} {3} {4} ms",
                    clientId,
                    procedure,
                    domain,
                    result,
                    (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /** The name of the domain an args struct refers to: the struct itself, or its first domain field. */
    static String domainOf(Object args) {
        if (args instanceof DomainRef d) {
            return d.name();
        }
        if (args instanceof Record r) {
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
        }
        return null;
    }
}

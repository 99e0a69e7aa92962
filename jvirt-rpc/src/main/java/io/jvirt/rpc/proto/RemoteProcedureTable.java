package io.jvirt.rpc.proto;

import io.jvirt.rpc.proto.Procedure.Kind;
import io.jvirt.rpc.proto.Procedure.Priority;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrCodecs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The number index behind {@link RemoteProcedures}; immutable once built, safe for all threads. */
final class RemoteProcedureTable {
    private final Map<Integer, Procedure<?, ?>> byNumber;
    private final List<Procedure<?, ?>> all;

    private RemoteProcedureTable(List<Procedure<?, ?>> procedures) {
        Map<Integer, Procedure<?, ?>> index = new HashMap<>();
        for (Procedure<?, ?> p : procedures) {
            Procedure<?, ?> clash = index.putIfAbsent(p.number(), p);
            if (clash != null) {
                throw new IllegalStateException(
                        "procedure number " + p.number() + " declared twice: " + clash.name() + ", " + p.name());
            }
        }
        this.byNumber = Map.copyOf(index);
        this.all = procedures.stream()
                .sorted(Comparator.comparingInt(Procedure::number))
                .toList();
    }

    List<Procedure<?, ?>> all() {
        return all;
    }

    ProcedureLookup lookup(int number) {
        Procedure<?, ?> p = byNumber.get(number);
        return p == null ? new ProcedureLookup.Unknown(number) : new ProcedureLookup.Known(p);
    }

    /** Collects declarations in class-initialisation order. */
    static final class Builder {
        private final List<Procedure<?, ?>> declared = new ArrayList<>();

        <A, R> Procedure<A, R> call(int number, String name, Priority priority, XdrCodec<A> args, XdrCodec<R> ret) {
            return add(new Procedure<>(number, name, priority, Kind.CALL, args, ret));
        }

        /** A call whose reply is followed by client-to-server stream data; libvirt runs these at low priority. */
        <A, R> Procedure<A, R> writeStream(int number, String name, XdrCodec<A> args, XdrCodec<R> ret) {
            return add(new Procedure<>(number, name, Priority.LOW, Kind.CALL_WRITE_STREAM, args, ret));
        }

        /** An event message; events have no priority of their own. */
        <A> Procedure<A, Void> event(int number, String name, XdrCodec<A> message) {
            return add(new Procedure<>(number, name, Priority.LOW, Kind.EVENT, message, XdrCodecs.VOID));
        }

        RemoteProcedureTable build() {
            return new RemoteProcedureTable(declared);
        }

        private <P extends Procedure<?, ?>> P add(P p) {
            declared.add(p);
            return p;
        }
    }
}

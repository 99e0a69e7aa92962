package io.jvirt.rpc.proto;

import io.jvirt.rpc.wire.RemoteError;

/** What a procedure number in a REMOTE call resolves to; an unknown number still needs an answer. */
public sealed interface ProcedureLookup {

    int number();

    /** A procedure of {@link RemoteProcedures}. */
    record Known(Procedure<?, ?> procedure) implements ProcedureLookup {
        @Override
        public int number() {
            return procedure.number();
        }
    }

    /** A number the table does not hold (unimplemented here, or unknown to libvirt too). */
    record Unknown(int number) implements ProcedureLookup {
        /**
         * libvirtd's answer: VIR_ERR_RPC from the RPC domain, "unknown procedure: N". The libvirt client turns
         * it into VIR_ERR_NO_SUPPORT, on which virsh falls back to older calls.
         */
        public RemoteError error() {
            return RemoteError.unknownProcedure(number);
        }
    }
}

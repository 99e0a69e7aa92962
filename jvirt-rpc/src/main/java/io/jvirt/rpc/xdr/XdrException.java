package io.jvirt.rpc.xdr;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;

/**
 * Bytes that do not decode as the expected XDR (a length over its bound, a truncated buffer, an unknown union
 * arm) or a value that cannot be encoded. It is unchecked so codecs compose as lambdas; the RPC layer catches
 * it at the edge of one message and answers with {@link #toVirtException()}, as libvirtd answers a message it
 * cannot decode with a {@code VIR_ERR_RPC} error.
 */
public final class XdrException extends RuntimeException {

    public XdrException(String message) {
        super(message);
    }

    /** The libvirt error a peer sees for this failure: code RPC, domain RPC. */
    public VirtException toVirtException() {
        return VirtException.of(ErrorCode.RPC, ErrorDomain.RPC, getMessage(), this);
    }
}

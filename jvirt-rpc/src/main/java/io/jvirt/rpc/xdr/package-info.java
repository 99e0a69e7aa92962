/**
 * XDR (RFC 4506) as libvirt's remote protocol uses it: big-endian 4-byte units, zero padding, bounded
 * variable-length items. Nothing here knows about messages or procedures.
 */
package io.jvirt.rpc.xdr;

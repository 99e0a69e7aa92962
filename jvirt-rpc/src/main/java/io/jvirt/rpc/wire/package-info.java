/**
 * One message of libvirt's RPC protocol on the byte stream: the length word, the 24-byte header, the optional
 * fd count and the payload; the error struct; keepalive and stream packets. Nothing here knows a procedure's
 * arguments.
 */
package io.jvirt.rpc.wire;

/**
 * The REMOTE program's procedures: numbers, names, priorities and the argument/return structs with their
 * codecs, declared once in {@link io.jvirt.rpc.proto.RemoteProcedures}. Field order is wire order, taken from
 * libvirt's {@code remote_protocol.x}; values stay raw (ints, flags), mapping to jvirt-api types is the
 * caller's job.
 */
package io.jvirt.rpc.proto;

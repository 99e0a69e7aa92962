/** libvirt's remote protocol on the wire: XDR codec, message framing, the procedure table. */
package io.jvirt.rpc;

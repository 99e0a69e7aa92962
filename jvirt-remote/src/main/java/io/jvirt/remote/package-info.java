/** The pure-Java libvirt client over the remote protocol. */
package io.jvirt.remote;

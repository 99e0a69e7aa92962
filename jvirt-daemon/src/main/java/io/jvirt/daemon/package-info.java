/** jvirtd: the daemon serving the driver over the remote protocol. */
package io.jvirt.daemon;

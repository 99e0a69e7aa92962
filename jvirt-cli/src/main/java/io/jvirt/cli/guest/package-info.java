/**
 * {@code jvirt guest}: builds jvirt's test guest and prints domain XML that boots it, through jvirt-guest. Needs no
 * connection. Main thread.
 */
package io.jvirt.cli.guest;

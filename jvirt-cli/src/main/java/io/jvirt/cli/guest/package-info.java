/**
 * {@code jvirt guest}: builds jvirt's test guest and prints domain XML that boots it, through jvirt-guest. Needs no
 * connection, so it is no {@code CliCommand} and uses no other CLI package. Main thread.
 */
package io.jvirt.cli.guest;

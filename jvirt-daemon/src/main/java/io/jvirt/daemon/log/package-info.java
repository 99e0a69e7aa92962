/**
 * jvirtd's logging as libvirt operators set it: {@code log_level}, {@code log_filters} and {@code log_outputs} from
 * jvirtd.conf, parsed here and applied to java.util.logging, which carries the {@link System.Logger}s all jvirt
 * code logs through.
 */
package io.jvirt.daemon.log;

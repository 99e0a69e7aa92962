/**
 * The host commands ({@code hostname}, {@code uri}, {@code version}), printing what virsh prints. Uses
 * {@link io.jvirt.cli.command} and jvirt-api. Main thread.
 */
package io.jvirt.cli.host;

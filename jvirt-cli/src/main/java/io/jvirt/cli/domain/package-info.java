/**
 * The domain commands: lookup and inspection ({@code list}, {@code dominfo}, {@code dumpxml}, ...), lifecycle
 * ({@code define}, {@code start}, {@code destroy}, {@code reboot}, {@code reset}, ...), save, restore and dump, and
 * job control, each printing what virsh 11.3 prints. Uses {@link io.jvirt.cli.command} and {@link io.jvirt.cli.job}, the
 * jvirt-api connection, and jvirt-config only to read a few facts from domain XML. Main thread, plus a progress
 * poller for {@code --verbose} jobs.
 */
package io.jvirt.cli.domain;

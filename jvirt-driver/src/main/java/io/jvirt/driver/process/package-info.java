/**
 * QEMU as a process: the live definition and argv a start needs, the host taps its NICs use ({@code HostNics},
 * through io.jvirt.nativeio), launching (with passed fds), finding and ending QEMU, what /proc says about it,
 * display ports, pty paths, and {@link io.jvirt.driver.process.MonitorCalls}, which turns monitor
 * failures into the API's errors. It may use {@code root}, the API, the config model and the monitor facade
 * (monitors come from {@link io.jvirt.qmp.Monitors}; the driver never names {@code io.jvirt.qmp.wire}); nothing about
 * domains' state or jobs. Threading: stateless helpers on the caller's thread, except the display
 * ports, whose reservations are synchronized.
 */
package io.jvirt.driver.process;

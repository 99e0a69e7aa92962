/**
 * Starting and stopping QEMU for domains and following what QEMU reports: {@link
 * io.jvirt.driver.lifecycle.DomainLifecycle} (start, destroy, shutdown, pause, the end of a run), the listener that
 * turns one run's monitor events into state changes, the lifecycle events a change emits and their delivery, and
 * {@link io.jvirt.driver.lifecycle.DriverContext}, what the parts of one open driver share. It may use {@code
 * domain}, {@code job}, {@code process} and {@code root}, never {@code migration} or the driver root, which build
 * on it. Threading: API calls run on the caller's thread as the domain's job; event handling runs on each monitor's
 * event thread and acts only while its run is current; events reach listeners on the hub's own thread.
 */
package io.jvirt.driver.lifecycle;

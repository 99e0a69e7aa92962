/**
 * The driver's domains in memory and on disk: {@link io.jvirt.driver.domain.DomainObj} (definitions, state, the
 * current {@link io.jvirt.driver.domain.QemuRun}, the job slots), the {@link io.jvirt.driver.domain.DomainRegistry}
 * of one driver, and the files that outlive it ({@link io.jvirt.driver.domain.DomainStore}: configs, status and
 * last-state XML). It depends only on {@code job}, {@code root}, the API, the config model and the monitor
 * facade's types; it never talks to QEMU. Threading: a domain's fields are guarded by its own lock and its state
 * changes by its job, the registry by its own lock; the order in which they nest is in the driver's package
 * documentation.
 */
package io.jvirt.driver.domain;

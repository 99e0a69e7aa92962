/**
 * The QEMU driver: {@link io.jvirt.driver.QemuDriver}, jvirt's {@link io.jvirt.api.Connection} over one host root,
 * and the API calls that are not a migration (define, save and restore, dump, job queries, monitor passthrough).
 * It sits on top of the driver's layers and they point one way: this package → {@code device}, {@code migration.peer} →
 * {@code migration} → {@code migration.cookie}, {@code migration.tunnel} → {@code lifecycle} → {@code domain},
 * {@code job}, {@code process}, {@code save}, {@code root}. QEMU is reached only through {@code io.jvirt.qmp}'s
 * {@link io.jvirt.qmp.Monitor} facade, never its wire format.
 *
 * <h2>Lock order</h2>
 *
 * <p>A thread that holds one of these may take one further down the list, never one further up:
 * <ol>
 *   <li><b>The root lock</b> ({@link io.jvirt.driver.root.RootLock}): one process's claim on a root, taken when the
 *   driver opens and held until it closes.</li>
 *   <li><b>A domain's job</b> ({@link io.jvirt.driver.domain.DomainObj#beginJob},
 *   {@link io.jvirt.driver.domain.DomainObj#startAsyncJob}): the slot a state change holds from start to end (an
 *   async job, a migration, across calls). It is waited for holding no lock; QMP calls are made holding it and
 *   nothing else. A monitor's event thread takes it too (a guest's power-off), which is safe because replies are
 *   read on the monitor's reader thread, not the event thread.</li>
 *   <li><b>A domain's lock</b> ({@link io.jvirt.driver.domain.DomainObj#withLock} and the domain's accessors): short
 *   sections that read and write the domain and its status file as one step. Never a QMP call or a wait for a job
 *   under it.</li>
 *   <li><b>The registry's lock</b> ({@link io.jvirt.driver.domain.DomainRegistry}): may be taken under a domain's
 *   lock (a transient domain leaves the registry as it stops); the registry in turn never waits for a domain's
 *   lock: it reads a domain's name and id, which are readable without it.</li>
 *   <li><b>Leaves</b>, which take nothing else: a domain's job guard (the lock around its job slots, e.g. ending
 *   a parked job as the domain stops), a run's {@link io.jvirt.driver.domain.QemuRun} (a migration wait holds it
 *   while it checks only flags and the peer's connection), the display ports, the event hub's queue, the machine's
 *   {@link io.jvirt.driver.security.OwnerRecords} (taken under a domain's lock as a run ends and gives back its
 *   files).</li>
 * </ol>
 *
 * <p>Threading: API calls come on the caller's threads, in any number; monitor events on each monitor's event
 * thread; domain events are delivered on the event hub's own thread.
 */
package io.jvirt.driver;

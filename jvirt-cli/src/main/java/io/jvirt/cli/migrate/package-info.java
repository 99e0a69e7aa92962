/**
 * {@code migrate} and the migration tuning commands: virsh 11.3's options, checks and their order, the flags and
 * typed parameters they become, and the watch that shows progress and enforces {@code --timeout} while the
 * migration runs. Uses {@link io.jvirt.cli.command}, {@link io.jvirt.cli.job} and jvirt-api (the destination is opened by
 * URI like any connection). The migration runs on a worker thread while the main thread watches it; Ctrl-C aborts
 * the job ({@link io.jvirt.cli.migrate.InterruptSignal}); option parsing and planning are pure.
 */
package io.jvirt.cli.migrate;

/**
 * What the domain and migration commands share about long jobs: running one with virsh's progress display,
 * {@code domjobinfo}'s report, and typed parameter values as libvirt prints them. Uses
 * {@link io.jvirt.cli.command} (virsh's formats) and jvirt-api. The
 * formatting is pure; {@link io.jvirt.cli.job.JobProgress} polls the job on a thread of its own while the main
 * thread runs the job.
 */
package io.jvirt.cli.job;

/**
 * Save images and core dumps in libvirt's on-disk format: the header and preamble, the compression formats and
 * their external programs, and the pumps that carry QEMU's migration stream between a pipe and the file
 * ({@link io.jvirt.driver.save.SaveWriter}, {@link io.jvirt.driver.save.RestoreReader}). It depends on the API and
 * native pipes only, not on domains or QEMU's monitor. Threading: each pump copies on platform threads of its own
 * and reports once through its completion; the job thread waits for it and may abort it from any thread.
 */
package io.jvirt.driver.save;

/**
 * Guest statistics: bulk domain stats, memory (balloon) statistics, vCPU threads, CPU totals and control state,
 * read from QMP and from the QEMU process's /proc entries.
 */
package io.jvirt.driver.stats;

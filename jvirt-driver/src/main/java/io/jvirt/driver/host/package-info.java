/** Host facts monitoring tools ask for: memory and CPU counters, the CPU map, SMBIOS data, CPU models. */
package io.jvirt.driver.host;

/**
 * libvirt's domain XML: {@link io.jvirt.config.DomainXml} parses it into a {@link io.jvirt.config.DomainDef} (records
 * for what jvirt models: memory, vCPUs, OS, clock, disks, interfaces, graphics, serial consoles, ...) and writes it
 * back in libvirt's element order, keeping everything it does not model where it was. Parsing refuses DTDs and
 * external entities ({@link io.jvirt.config.SecureXml}); errors carry libvirt's codes. Depends on jvirt-api (for
 * errors and flags) and the JDK's XML parser only. Stateless and immutable: any thread.
 */
package io.jvirt.config;

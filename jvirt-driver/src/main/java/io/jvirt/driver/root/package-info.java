/**
 * One host's root directory and what it holds and says: its layout ({@link io.jvirt.driver.root.HostRoot}), the
 * lock one process takes on it, its settings files in libvirt's conf syntax, its host UUID, facts about the machine,
 * the embedded-driver URIs that name a root, and atomic file writes. The bottom layer of the driver: it depends on
 * the API only. Threading: values and short file operations on the caller's thread.
 */
package io.jvirt.driver.root;

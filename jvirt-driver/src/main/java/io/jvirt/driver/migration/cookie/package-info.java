/**
 * The migration cookie, the XML the two sides hand each other between phases, in libvirt's shape: the record and
 * its sections (features, graphics, lock state, statistics, capabilities), their reading with libvirt's checks and
 * refusals (including the same-host one) and writing, and what the destination's graphics section makes the
 * source tell its clients. Values and pure functions over the API and config model, plus one monitor call for
 * graphics relocation; nothing here knows jobs or domains. Threading: immutable values, any thread.
 */
package io.jvirt.driver.migration.cookie;

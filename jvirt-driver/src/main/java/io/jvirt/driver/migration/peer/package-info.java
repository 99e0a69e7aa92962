/**
 * Peer-to-peer migration, where the source's driver drives the whole protocol itself over a connection it opens to
 * the destination: v3 with parameters ({@link io.jvirt.driver.migration.peer.PeerMigration}) and v2 for older
 * peers ({@link io.jvirt.driver.migration.peer.PeerMigrationV2}), the link to the peer and the shared Finish rule.
 * It builds on {@code migration} (the source's phases) and {@code migration.tunnel}; only the driver root uses it.
 * Threading: runs on the Perform caller's thread; a tunnel's bytes move on the destination connection's threads.
 */
package io.jvirt.driver.migration.peer;

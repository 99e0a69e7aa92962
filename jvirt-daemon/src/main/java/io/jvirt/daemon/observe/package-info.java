/**
 * What jvirtd tells its operator about itself: the call and migration observers the dispatcher feeds, the
 * migration phase log, and the opt-in Prometheus endpoint ({@code metrics_listen}) with its Micrometer registry.
 * The daemon package uses this one, never the other way round; the driver knows nothing of it (it is heard through
 * its domain events).
 */
package io.jvirt.daemon.observe;

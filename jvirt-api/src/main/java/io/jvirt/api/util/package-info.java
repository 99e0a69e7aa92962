/**
 * Small helpers every module needs and none owns ({@link io.jvirt.api.util.Closeables}), kept here so that there is
 * one copy. Not part of the virt API. Depends on the JDK only; stateless, any thread.
 */
package io.jvirt.api.util;

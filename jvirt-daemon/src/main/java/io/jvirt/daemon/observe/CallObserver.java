package io.jvirt.daemon.observe;

/**
 * Hears every RPC call the daemon serves: once its arguments decoded, and once it is answered.
 *
 * <p>Threading: both methods run on the call's own thread; implementations are safe for all threads and never block.
 */
public interface CallObserver {
    /** An observer that hears nothing (metrics off). */
    CallObserver NONE = new CallObserver() {};

    /**
     * A call's arguments decoded and its handler is about to run.
     *
     * @param procedure the procedure's name, e.g. {@code DOMAIN_MIGRATE_PERFORM3_PARAMS}
     * @param args      the decoded arguments (a wire record)
     * @param domain    the domain the call is about, or null
     */
    default void started(String procedure, Object args, String domain) {}

    /**
     * A call was answered.
     *
     * @param errorCode 0 when it succeeded, else libvirt's error code of its answer
     * @param nanos     how long it ran
     */
    default void finished(String procedure, Object args, String domain, int errorCode, long nanos) {}
}

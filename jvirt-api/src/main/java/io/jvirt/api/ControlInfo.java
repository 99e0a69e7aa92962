package io.jvirt.api;

/**
 * The state of the driver's control over a domain ({@code virDomainControlInfo}).
 *
 * @param state       {@code virDomainControlState}: 0 ok, 1 job, 2 occupied, 3 error
 * @param details     {@code virDomainControlErrorReason} when {@code state} is error
 * @param stateTimeMs how long the domain has been in {@code state} (for job and occupied)
 */
public record ControlInfo(int state, int details, long stateTimeMs) {
    public static final int OK = 0;
    public static final int JOB = 1;
}

package io.jvirt.qmp;

/**
 * One entry of {@code query-block-jobs}.
 *
 * @param id     the job's id ({@code device} in QEMU's reply: the job-id it was started with)
 * @param type   the job type ({@code mirror}, {@code commit}, …)
 * @param len    the job's estimated total work, in bytes for a mirror; it may grow while the guest writes
 * @param offset the work done so far, in bytes for a mirror
 * @param speed  the rate limit in bytes/s, 0 for none
 * @param ready  whether a mirror has copied everything once and now only follows new writes
 * @param status QEMU's JobStatus name ({@code running}, {@code ready}, {@code concluded}, …)
 */
public record BlockJobInfo(String id, String type, long len, long offset, long speed, boolean ready, String status) {}

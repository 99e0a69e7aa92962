/**
 * What a domain's jobs are, as libvirt names them: the kinds of short state changes ({@link
 * io.jvirt.driver.job.SyncJobKind}) and of long async jobs ({@link io.jvirt.driver.job.AsyncJobKind}) and which
 * may run beside which, and one running async job with its progress ({@link io.jvirt.driver.job.DomainJob}). Values
 * and small state holders with no dependency but the API. Threading: a job is updated by the thread that runs it
 * and read by query and abort calls on theirs.
 */
package io.jvirt.driver.job;

/**
 * What the JDK cannot do, done through the FFM API on Linux/glibc: raw descriptors and pipes, AF_UNIX sockets that
 * pass fds (QMP's {@code getfd}), and splice(2) between sockets and pipes so migration and save data move inside
 * the kernel. Depends on the JDK only (it is the bottom layer; jvirt-api is not available here). Every call may
 * block in the kernel, which pins a virtual thread's carrier: blocking reads, writes, accepts and splices belong on
 * platform threads; each class says which of its calls block.
 */
package io.jvirt.nativeio;

package io.jvirt.driver;

import io.jvirt.driver.domain.DomainObj;
import io.jvirt.driver.domain.QemuRun;
import io.jvirt.driver.lifecycle.DomainLifecycle;
import io.jvirt.driver.process.MonitorCalls;
import io.jvirt.qmp.Monitor;
import java.io.IOException;

/**
 * One QMP call on a running domain for the everyday API calls (send-key, balloon, screendump), holding a MODIFY job
 * as libvirt does, with libvirt's errors: not running is "domain is not running"; QEMU's error reply is
 * "unable to execute QEMU command 'X': DESC".
 *
 * <p>Threading: the caller's thread.
 */
final class LiveCalls {
    private LiveCalls() {}

    /** A call on the domain's monitor. */
    @FunctionalInterface
    interface Call<T> {
        T run(Monitor monitor) throws IOException;
    }

    static <T> T modify(DomainObj dom, String what, Call<T> call) {
        try (DomainObj.Job _ = dom.beginJob(what, DomainLifecycle.JOB_WAIT_MILLIS)) {
            return call(dom, call);
        }
    }

    /** As {@link #modify}, for a caller that holds the domain's job already; errors as {@link MonitorCalls} words them. */
    static <T> T call(DomainObj dom, Call<T> call) {
        QemuRun run = dom.requireRun();
        return MonitorCalls.call(dom.name(), () -> call.run(run.monitor()));
    }
}

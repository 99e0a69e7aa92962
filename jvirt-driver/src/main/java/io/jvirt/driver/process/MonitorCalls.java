package io.jvirt.driver.process;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.qmp.MonitorClosedException;
import io.jvirt.qmp.QmpCommandException;
import java.io.IOException;

/** Runs a monitor call and turns its I/O failures into the API's error, naming the domain. */
public final class MonitorCalls {
    private MonitorCalls() {}

    /** A monitor call that may fail with an I/O error. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws IOException;
    }

    /** A monitor call without a result. */
    @FunctionalInterface
    public interface VoidCall {
        void run() throws IOException;
    }

    public static <T> T call(String domain, Call<T> call) {
        try {
            return call.run();
        } catch (MonitorClosedException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "domain '" + domain + "' is not running: its QEMU closed the monitor",
                    e);
        } catch (QmpCommandException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "unable to execute QEMU command '" + e.command() + "': " + e.description(),
                    e);
        } catch (IOException e) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED,
                    ErrorDomain.QEMU,
                    "monitor of domain '" + domain + "' failed: " + e.getMessage(),
                    e);
        }
    }

    public static void run(String domain, VoidCall call) {
        call(domain, () -> {
            call.run();
            return null;
        });
    }
}

package io.jvirt.daemon;

import io.jvirt.api.Connection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Connection} that records the name of every method called on it, then lets {@code target} answer. */
final class RecordingDriver {
    final List<String> called = new CopyOnWriteArrayList<>();
    final Connection connection;

    RecordingDriver(Connection target) {
        this.connection = (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    called.add(method.getName());
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

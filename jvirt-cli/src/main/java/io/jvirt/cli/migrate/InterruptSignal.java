package io.jvirt.cli.migrate;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ctrl-C during {@code migrate}: as in virsh, it aborts the migration job instead of killing the client, which
 * would leave the job running without anyone to report its end. SIGINT is taken over while the migration runs
 * and handed back afterwards; where the JVM does not allow that ({@code -Xrs}, or no {@code jdk.unsupported}
 * module), a shutdown hook aborts the job instead. The action runs on the JVM's signal (or shutdown) thread.
 *
 * <p>{@code sun.misc.Signal} and {@code sun.misc.SignalHandler} are reached by name at run time, never named in
 * the source: javac warns of every use of them as "internal proprietary API", a warning no {@code -Xlint} key or
 * {@code @SuppressWarnings} silences, and jvirt-cli compiles with warnings as errors. So the two methods are looked
 * up as method handles and the handler is a {@link Proxy} of {@code SignalHandler}.
 */
final class InterruptSignal {
    private static final Logger LOG = System.getLogger(InterruptSignal.class.getName());

    private InterruptSignal() {}

    /** Runs {@code action} on SIGINT until the returned handle is closed. */
    static Handle onInterrupt(Runnable action) {
        try {
            Signals signals = Signals.get();
            Object interrupt = signals.signal("INT");
            Object previous = signals.handle(interrupt, signals.handler(action));
            return () -> signals.handle(interrupt, previous);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "cannot take over SIGINT, aborting from a shutdown hook instead: {0}", e.getMessage());
            Thread hook = Thread.ofPlatform().name("jvirt-migrate-abort").unstarted(action);
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or has run: nothing to hand back.
                }
            };
        }
    }

    /** Gives SIGINT back to whoever had it. */
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    /** {@code sun.misc.Signal}'s constructor and {@code handle}, and the {@code SignalHandler} interface. */
    private record Signals(MethodHandle newSignal, MethodHandle handle, Class<?> handlerType) {

        /**
         * @throws UnsupportedOperationException when the JVM has no {@code sun.misc.Signal}
         */
        static Signals get() {
            try {
                Class<?> signal = Class.forName("sun.misc.Signal");
                Class<?> handler = Class.forName("sun.misc.SignalHandler");
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new Signals(
                        lookup.findConstructor(signal, MethodType.methodType(void.class, String.class)),
                        lookup.findStatic(signal, "handle", MethodType.methodType(handler, signal, handler)),
                        handler);
            } catch (ReflectiveOperationException e) {
                throw new UnsupportedOperationException("no sun.misc.Signal: " + e, e);
            }
        }

        /** {@code new Signal(name)}; IllegalArgumentException for an unknown signal. */
        Object signal(String name) {
            return call(newSignal, name);
        }

        /**
         * {@code Signal.handle(signal, handler)}: the previous handler; IllegalArgumentException where the
         * signal cannot be handled ({@code -Xrs}, or in use by the JVM).
         */
        Object handle(Object signal, Object handler) {
            return call(handle, signal, handler);
        }

        /** A {@code SignalHandler} that runs {@code action}. */
        Object handler(Runnable action) {
            return Proxy.newProxyInstance(
                    InterruptSignal.class.getClassLoader(),
                    new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> "SIGINT handler of migrate";
                        default -> throw new UnsupportedOperationException(describe(method));
                    });
        }

        private static String describe(Method method) {
            return method.getDeclaringClass().getName() + "." + method.getName();
        }

        private static Object call(MethodHandle target, Object... args) {
            try {
                return target.invokeWithArguments(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                // Neither the constructor nor handle declares a checked exception.
                throw new IllegalStateException(e);
            }
        }
    }
}

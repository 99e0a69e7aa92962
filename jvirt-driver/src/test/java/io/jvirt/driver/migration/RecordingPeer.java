package io.jvirt.driver.migration;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.MigrationFinished;
import io.jvirt.api.MigrationPhases;
import io.jvirt.api.MigrationPrepared;
import io.jvirt.api.VirtException;
import io.jvirt.driver.migration.cookie.MigrationCookie;
import io.jvirt.driver.migration.cookie.MigrationCookieXml;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The destination of a peer-to-peer test: announces the driver features it is given, records every migration call
 * with its arguments, and answers them as scripted (a URI from Prepare, failures of Prepare or Finish, a cancelled
 * Finish failing as libvirt's does). Cookies it returns name the migrating domain and another host.
 *
 * <p>Threading: called on the migration's thread; the test reads what was recorded afterwards.
 */
final class RecordingPeer implements InvocationHandler {
    private static final Map<String, RecordingPeer> PEERS = new ConcurrentHashMap<>();

    /** One call as received: the method's name and its arguments. */
    record Call(String name, List<Object> args) {
        Object arg(int i) {
            return args.get(i);
        }
    }

    private final String name;
    private final Set<Integer> features;
    private final String domain;
    private final UUID uuid;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile String uriOut = "tcp:127.0.0.1:49999";
    volatile RuntimeException prepareFailure;
    volatile RuntimeException finishFailure;
    /** Runs when Finish arrives, before it answers: lets a test look at the source at that moment. */
    volatile Runnable atFinish = () -> {};

    private RecordingPeer(String name, Set<Integer> features, String domain, UUID uuid) {
        this.name = name;
        this.features = Set.copyOf(features);
        this.domain = domain;
        this.uuid = uuid;
    }

    /** A peer reachable as {@code recording://NAME/} until {@link #forget}. */
    static RecordingPeer register(String name, Set<Integer> features, String domain, UUID uuid) {
        RecordingPeer peer = new RecordingPeer(name, features, domain, uuid);
        PEERS.put(name, peer);
        return peer;
    }

    static RecordingPeer named(String name) {
        return PEERS.get(name);
    }

    void forget() {
        PEERS.remove(name, this);
    }

    String uri() {
        return "recording://" + name + "/";
    }

    Connection connection() {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class, MigrationPhases.class}, this);
    }

    List<String> callNames() {
        return calls.stream().map(Call::name).toList();
    }

    Call call(String method) {
        return calls.stream()
                .filter(c -> c.name().equals(method))
                .findFirst()
                .orElseThrow(() -> new AssertionError(method + " was not called; calls: " + callNames()));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        String m = method.getName();
        switch (m) {
            case "supportsFeature":
                return features.contains((Integer) args[0]);
            case "isAlive":
                return true;
            case "close":
                return null;
            case "uri":
                return uri();
            case "toString":
                return "RecordingPeer[" + name + "]";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                break;
        }
        calls.add(new Call(m, args == null ? List.of() : new ArrayList<>(Arrays.asList(args))));
        return switch (m) {
            case "migratePrepare2" -> {
                failPrepare();
                yield uriOut;
            }
            case "migratePrepareTunnel" -> {
                failPrepare((ReadableByteChannel) args[4]);
                yield null;
            }
            case "migratePrepare3" -> {
                failPrepare();
                yield new MigrationPrepared(cookie(), uriOut);
            }
            case "migrateFinish2" -> finish((Boolean) args[3]);
            case "migrateFinish3" -> new MigrationFinished(finish((Boolean) args[3]), cookie());
            default -> throw new UnsupportedOperationException("RecordingPeer does not serve " + m);
        };
    }

    private void failPrepare(ReadableByteChannel data) {
        if (prepareFailure != null) {
            try {
                data.close();
            } catch (IOException ignored) {
                // the failure is what the test looks at
            }
        }
        failPrepare();
    }

    private void failPrepare() {
        if (prepareFailure != null) {
            throw prepareFailure;
        }
    }

    private DomainRef finish(boolean cancelled) {
        atFinish.run();
        if (cancelled) {
            throw VirtException.of(
                    ErrorCode.MIGRATE_FINISH_OK,
                    ErrorDomain.QEMU,
                    "incoming migration of domain '" + domain + "' was cancelled");
        }
        if (finishFailure != null) {
            throw finishFailure;
        }
        return new DomainRef(domain, uuid, 7);
    }

    private String cookie() {
        return MigrationCookieXml.format(MigrationCookie.of(domain, uuid, "peer.example.org", UUID.randomUUID()));
    }
}

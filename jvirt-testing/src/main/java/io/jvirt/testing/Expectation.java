package io.jvirt.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How {@link FakeQmp} answers one scripted command. Built fluently right after {@link FakeQmp#expect(String)};
 * configure it before the command can arrive. Without further calls it answers {@code {"return": {}}} once.
 * Order of effects: the reply (unless {@link #noReply()}), then the events, then the dropped connection.
 */
public final class Expectation {
    /** An event to send after the reply. */
    record Emission(String event, Map<String, Object> data) {}

    private final String command;
    private volatile Object returnValue = Map.of();
    private volatile String errorClass;
    private volatile String errorDescription;
    private volatile boolean silent;
    private volatile boolean drop;
    private volatile boolean repeated;
    private final List<Emission> emissions = new CopyOnWriteArrayList<>();

    Expectation(String command) {
        this.command = command;
    }

    /** Answer {@code {"return": value}}; value is plain Java (Map, List, String, Number, Boolean). */
    public Expectation reply(Object value) {
        this.returnValue = value;
        this.errorClass = null;
        return this;
    }

    /** Answer {@code {"error": {"class": errorClass, "desc": description}}}. */
    public Expectation replyError(String errorClass, String description) {
        this.errorClass = errorClass;
        this.errorDescription = description;
        return this;
    }

    /** Never answer (to test timeouts, or with {@link #thenDropConnection()} a QEMU that dies mid-command). */
    public Expectation noReply() {
        this.silent = true;
        return this;
    }

    /** After replying, send event {@code event} with {@code data} (omitted on the wire when empty, as QEMU does). */
    public Expectation thenEmit(String event, Map<String, ?> data) {
        emissions.add(new Emission(event, new LinkedHashMap<>(data)));
        return this;
    }

    /** After replying and emitting, close the client's connection, as if QEMU had died. */
    public Expectation thenDropConnection() {
        this.drop = true;
        return this;
    }

    /** Answer every later arrival of this command the same way, instead of once. */
    public Expectation repeatedly() {
        this.repeated = true;
        return this;
    }

    String command() {
        return command;
    }

    Object returnValue() {
        return returnValue;
    }

    String errorClass() {
        return errorClass;
    }

    String errorDescription() {
        return errorDescription;
    }

    boolean silent() {
        return silent;
    }

    boolean drop() {
        return drop;
    }

    boolean repeated() {
        return repeated;
    }

    List<Emission> emissions() {
        return List.copyOf(emissions);
    }
}

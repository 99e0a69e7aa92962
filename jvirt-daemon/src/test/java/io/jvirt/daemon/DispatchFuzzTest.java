package io.jvirt.daemon;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.api.VirtException;
import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.Message;
import io.jvirt.rpc.wire.MessageLimits;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.xdr.XdrException;
import io.jvirt.testing.DecoderContract;
import io.jvirt.testing.FuzzScratch;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the daemon's dispatch as a client's frames reach it: each CALL frame routed as {@link CallDispatcher} routes
 * it (REMOTE or JVIRT program, the procedure's {@link Route}), its args decoded and its handler run against a
 * {@link FakeConnection}, with the call's scope set as a call thread sets it. The seed corpus holds a CALL of every
 * procedure (see {@code FuzzSeeds} in jvirt-rpc). A call may end only in what {@link CallDispatcher} turns into a
 * libvirt error reply ({@link VirtException}, {@link XdrException}); any other exception would reach the client as
 * an internal error and is a finding.
 */
class DispatchFuzzTest {
    private static final DecoderContract CONTRACT = DecoderContract.of(
            2L * MessageLimits.MAX, List.of(VirtException.class, XdrException.class, EOFException.class));
    private static final DispatchTable TABLE = DispatchTable.standard();
    private static final FakeConnection FAKE = new FakeConnection();
    private static final Path ROOT = FuzzScratch.directory();
    private static final ClientSession SESSION = new ClientSession(
            1,
            Transport.of(
                    Channels.newChannel(InputStream.nullInputStream()),
                    Channels.newChannel(OutputStream.nullOutputStream()),
                    () -> {},
                    true),
            false,
            DaemonContext.of(FAKE, DaemonConfig.forRoot(ROOT, ROOT)),
            () -> {});

    static {
        FAKE.saveGate.countDown();
        FAKE.add("g1", 1);
        FAKE.add("g2", -1);
    }

    @FuzzTest(maxDuration = "10s")
    void dispatch(byte[] input) throws Exception {
        CONTRACT.check(() -> {
            ByteArrayInputStream in = new ByteArrayInputStream(input);
            for (Optional<Message> m = Frames.read(in); m.isPresent(); m = Frames.read(in)) {
                call(m.get());
            }
        });
    }

    private static void call(Message m) {
        Header h = m.header();
        if (h.type() != MessageType.CALL) {
            return;
        }
        Optional<Route<?, ?>> route = Program.REMOTE.matches(h)
                ? TABLE.route(h.procedure())
                : Program.JVIRT.matches(h) ? TABLE.jvirtRoute(h.procedure()) : Optional.empty();
        route.ifPresent(r ->
                CallDispatcher.run(r, SESSION, m, new CallLog(1, r.procedure().name())));
    }

    @AfterAll
    static void removeRoot() throws IOException {
        SESSION.close();
        FuzzScratch.delete(ROOT);
    }
}

package io.jvirt.rpc.proto;

import io.jvirt.rpc.wire.Header;
import io.jvirt.rpc.wire.MessageEncoder;
import io.jvirt.rpc.wire.MessageStatus;
import io.jvirt.rpc.wire.MessageType;
import io.jvirt.rpc.wire.Program;
import io.jvirt.rpc.xdr.XdrCodec;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the fuzz seed corpus of the RPC frame and dispatch targets: for every REMOTE and JVIRT procedure a CALL
 * frame whose args are a {@link Samples} value, and (REMOTE only) its OK REPLY frame, so the fuzzer starts from a
 * well-formed frame of each procedure. Not a test: run by hand after adding procedures, with the folders to write
 * into as arguments, e.g. the {@code FrameFuzzTestInputs/frames} and {@code DispatchFuzzTestInputs/dispatch}
 * resource folders.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {}

    public static void main(String[] args) throws Exception {
        for (String dir : args) {
            Path out = Path.of(dir);
            Files.createDirectories(out);
            for (Field f : procedureFields(RemoteProcedures.class)) {
                write(out, f, true);
            }
            for (Field f : procedureFields(JvirtProcedures.class)) {
                write(out, f, false);
            }
        }
    }

    private static void write(Path dir, Field f, boolean withReply) throws ReflectiveOperationException, IOException {
        Procedure<?, ?> p = (Procedure<?, ?>) f.get(null);
        Type[] types = ((ParameterizedType) f.getGenericType()).getActualTypeArguments();
        Samples samples = new Samples(p.number());
        Program program = f.getDeclaringClass() == JvirtProcedures.class ? Program.JVIRT : Program.REMOTE;
        MessageType type = p.kind() == Procedure.Kind.EVENT ? MessageType.MESSAGE : MessageType.CALL;
        Header call = new Header(program.number(), program.version(), p.number(), type, 1, MessageStatus.OK);
        String name = program.name().toLowerCase(Locale.ROOT) + "-" + p.name().toLowerCase(Locale.ROOT);
        Files.write(dir.resolve(name), frame(call, p.args(), samples.of(types[0])));
        if (withReply && type == MessageType.CALL) {
            Files.write(
                    dir.resolve(name + "-reply"), frame(call.reply(MessageStatus.OK), p.ret(), samples.of(types[1])));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> byte[] frame(Header h, XdrCodec<T> codec, Object value) {
        ByteBuffer b = new MessageEncoder().encode(h, codec, (T) value);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static List<Field> procedureFields(Class<?> holder) {
        List<Field> fields = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Procedure.class) {
                fields.add(f);
            }
        }
        return fields;
    }
}

package io.jvirt.rpc.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvirt.rpc.proto.Procedure.Kind;
import io.jvirt.rpc.proto.Procedure.Priority;
import io.jvirt.rpc.xdr.XdrCodec;
import io.jvirt.rpc.xdr.XdrReader;
import io.jvirt.rpc.xdr.XdrWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RemoteProceduresTest {

    @Test
    void everyProcedureArgsAndRetRoundTrip() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Field f : procedureFields()) {
            Procedure<?, ?> p = (Procedure<?, ?>) f.get(null);
            Type[] types = ((ParameterizedType) f.getGenericType()).getActualTypeArguments();
            for (int seed = 0; seed < 5; seed++) {
                Samples samples = new Samples(p.number() * 31L + seed);
                assertRoundTrip(p + " args", p.args(), samples.of(types[0]));
                assertRoundTrip(p + " ret", p.ret(), samples.of(types[1]));
            }
            checked.add(p.name());
        }
        assertThat(checked).hasSize(RemoteProcedures.all().size());
    }

    @Test
    void everyDeclaredConstantIsInTheTableAndFoundByItsNumber() throws Exception {
        for (Field f : procedureFields()) {
            Procedure<?, ?> p = (Procedure<?, ?>) f.get(null);
            assertThat(f.getName()).isEqualTo(p.name());
            assertThat(RemoteProcedures.lookup(p.number())).isEqualTo(new ProcedureLookup.Known(p));
        }
    }

    @Test
    void numbersAndNamesMatchTheInstalledLibvirt() throws Exception {
        // libvirt installs its procedure-name table for systemtap; use it to check ours when present.
        Path tapset = Path.of("/usr/share/systemtap/tapset/libvirt_functions.stp");
        assumeTrue(Files.isReadable(tapset), "libvirt's systemtap tapset is not installed");
        Map<Integer, String> installed = remoteProcedureNames(Files.readString(tapset));
        for (Procedure<?, ?> p : RemoteProcedures.all()) {
            assertThat(installed.get(p.number()))
                    .as(p.toString())
                    .isEqualTo(p.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void anUnknownNumberIsAnsweredAsLibvirtdDoes() {
        ProcedureLookup lookup = RemoteProcedures.lookup(9999);
        assertThat(lookup).isInstanceOf(ProcedureLookup.Unknown.class);
        var error = ((ProcedureLookup.Unknown) lookup).error();
        assertThat(error.message()).isEqualTo("unknown procedure: 9999");
        assertThat(error.toClientException().code()).isEqualTo(io.jvirt.api.ErrorCode.NO_SUPPORT);
    }

    @Test
    void metadataFollowsTheProtocolFile() {
        assertThat(RemoteProcedures.DOMAIN_LOOKUP_BY_NAME.priority()).isEqualTo(Priority.HIGH);
        assertThat(RemoteProcedures.DOMAIN_DESTROY.priority()).isEqualTo(Priority.HIGH);
        assertThat(RemoteProcedures.DOMAIN_GET_INFO.priority()).isEqualTo(Priority.LOW);
        assertThat(RemoteProcedures.DOMAIN_MIGRATE_PERFORM3_PARAMS.priority()).isEqualTo(Priority.LOW);
        assertThat(RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS.kind())
                .isEqualTo(Kind.CALL_WRITE_STREAM);
        assertThat(RemoteProcedures.DOMAIN_MIGRATE_PREPARE_TUNNEL.kind()).isEqualTo(Kind.CALL_WRITE_STREAM);
        assertThat(RemoteProcedures.DOMAIN_EVENT_CALLBACK_LIFECYCLE.kind()).isEqualTo(Kind.EVENT);
        assertThat(RemoteProcedures.all())
                .extracting(Procedure::number)
                .isSorted()
                .doesNotHaveDuplicates();
    }

    private static <T> void assertRoundTrip(String what, XdrCodec<T> codec, Object sample) {
        @SuppressWarnings("unchecked")
        T value = (T) sample;
        XdrWriter out = new XdrWriter();
        codec.encode(out, value);
        XdrReader in = new XdrReader(out.toByteArray());
        T back = codec.decode(in);
        in.requireEnd();
        assertThat(back).as(what).isEqualTo(value);
    }

    private static List<Field> procedureFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : RemoteProcedures.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Procedure.class) {
                fields.add(f);
            }
        }
        return fields;
    }

    private static Map<Integer, String> remoteProcedureNames(String tapset) {
        int start = tapset.indexOf("if (program == 536903814 && version == 1)");
        assumeTrue(start >= 0, "the tapset has no REMOTE program table");
        String section = tapset.substring(start);
        int next = section.indexOf("if (program ==", 10);
        if (next > 0) {
            section = section.substring(0, next);
        }
        Map<Integer, String> names = new HashMap<>();
        Matcher m = Pattern.compile("proc == (\\d+)\\) \\{\\s*procstr = \"([a-z0-9_]+)\"")
                .matcher(section);
        while (m.find()) {
            names.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return names;
    }
}

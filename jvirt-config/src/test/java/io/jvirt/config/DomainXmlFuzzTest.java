package io.jvirt.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.api.VirtException;
import io.jvirt.testing.DecoderContract;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the domain XML parser as define, create and attach-device meet a client's text: parsed as a domain and as
 * one device. A definition that parses must format in every layout and parse back (the formatter is the status
 * files' and dumpxml's writer), and no document carrying a DOCTYPE may parse at all, so no entity is ever expanded
 * or fetched. The parser may fail only with {@link VirtException}.
 */
class DomainXmlFuzzTest {
    private static final DecoderContract CONTRACT = DecoderContract.of(64L << 20, List.of(VirtException.class));
    private static final List<Set<FormatFlag>> LAYOUTS = List.of(
            Set.of(), EnumSet.allOf(FormatFlag.class), Set.of(FormatFlag.INACTIVE), Set.of(FormatFlag.MIGRATABLE));

    @FuzzTest(maxDuration = "10s")
    void domainXml(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        CONTRACT.check(() -> {
            DomainDef def = DomainXml.parse(text);
            refusedIfItHasADoctype(text);
            for (Set<FormatFlag> flags : LAYOUTS) {
                DomainXml.parse(DomainXml.format(def, flags));
            }
        });
        CONTRACT.check(() -> {
            DeviceXml.parse(text);
            refusedIfItHasADoctype(text);
        });
    }

    private static void refusedIfItHasADoctype(String text) {
        if (text.contains("<!DOCTYPE")) {
            throw new AssertionError("a document with a DOCTYPE was accepted");
        }
    }
}

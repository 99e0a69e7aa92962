package io.jvirt.driver.migration.cookie;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jvirt.api.VirtException;
import io.jvirt.config.DomainXml;
import io.jvirt.testing.DecoderContract;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the migration cookie parser as a destination (or a source, at Confirm) meets a peer's cookie: every
 * feature accepted, the domain identity taken from the cookie itself so the fuzzer gets past the identity checks
 * into the sections, the persistent definition parsed as the destination defines it. A cookie that parses must
 * format and parse back. Failures may only be {@link VirtException}s.
 */
class MigrationCookieFuzzTest {
    private static final DecoderContract CONTRACT = DecoderContract.of(64L << 20, List.of(VirtException.class));
    private static final Set<CookieFeature> ALL = EnumSet.allOf(CookieFeature.class);
    private static final UUID LOCAL_HOST = UUID.fromString("0b6f38b4-5c4e-4a8f-9d7b-3a1f0c2d4e5f");
    private static final UUID ANY = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Pattern UUID_ELEMENT = Pattern.compile("<uuid>([0-9a-f-]{36})</uuid>");

    @FuzzTest(maxDuration = "10s")
    void cookie(byte[] input) throws Exception {
        String xml = new String(input, StandardCharsets.UTF_8);
        CONTRACT.check(() -> {
            MigrationCookie cookie = MigrationCookieXml.parse(xml, ALL, null, claimedUuid(xml), LOCAL_HOST);
            if (cookie.persistentXml() != null) {
                DomainXml.parse(cookie.persistentXml());
            }
            MigrationCookieXml.parse(MigrationCookieXml.format(cookie), ALL, null, cookie.uuid(), LOCAL_HOST);
        });
    }

    private static UUID claimedUuid(String xml) {
        Matcher m = UUID_ELEMENT.matcher(xml);
        if (!m.find()) {
            return ANY;
        }
        try {
            return UUID.fromString(m.group(1));
        } catch (IllegalArgumentException e) {
            return ANY;
        }
    }
}

package io.jvirt.guest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test guest's {@code jvirt-guest ready fill_mib=<n> seed=<s>} line: the fill is complete and the guest
 * is dirtying and checking memory from now on.
 *
 * @param fillMiB how much memory the guest filled (less than asked only if the guest lacked memory)
 * @param seed    the seed its pattern derives from
 */
public record GuestReady(long fillMiB, long seed) {
    private static final Pattern LINE = Pattern.compile("jvirt-guest ready fill_mib=(\\d{1,18}) seed=(\\d{1,19})\\s*$");

    /** The ready line in {@code line} (junk before it is allowed), or empty. */
    public static Optional<GuestReady> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new GuestReady(Long.parseLong(m.group(1)), Long.parseUnsignedLong(m.group(2))));
    }
}

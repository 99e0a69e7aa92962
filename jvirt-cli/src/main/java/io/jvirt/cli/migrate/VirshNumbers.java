package io.jvirt.cli.migrate;

import io.jvirt.cli.command.CliError;
import java.math.BigInteger;

/**
 * Numeric option values read the way virsh reads them: decimal only, optional leading blanks and sign, the whole
 * text consumed, the value within the C type's range. Signed types take negatives; the unsigned ones refuse them,
 * except the "wrap" kind ({@code migrate-setspeed}), where {@code -1} means the largest value as C's
 * {@code strtoul} makes it. Failures read {@code Numeric value 'X' for <name> option is malformed or out of range}.
 * Pure; any thread.
 */
public final class VirshNumbers {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger ULLONG_MAX = TWO_64.subtract(BigInteger.ONE);

    private VirshNumbers() {}

    /** A C {@code int}. */
    public static int parseInt(String name, String text) {
        BigInteger v = parse(name, text);
        check(
                name,
                text,
                v.compareTo(BigInteger.valueOf(Integer.MIN_VALUE)) >= 0
                        && v.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) <= 0);
        return v.intValue();
    }

    /** A C {@code unsigned int}, negatives refused. */
    public static long parseUInt(String name, String text) {
        BigInteger v = parse(name, text);
        check(name, text, v.signum() >= 0 && v.bitLength() <= 32);
        return v.longValue();
    }

    /** A C {@code unsigned long long}, negatives refused; returned as the same 64 bits in a long. */
    public static long parseULongLong(String name, String text) {
        BigInteger v = parse(name, text);
        check(name, text, v.signum() >= 0 && v.compareTo(ULLONG_MAX) <= 0);
        return v.longValue();
    }

    /** A C {@code unsigned long} (64-bit) where a negative wraps around, {@code -1} being the largest. */
    public static long parseULongWrap(String name, String text) {
        BigInteger v = parse(name, text);
        check(name, text, v.abs().compareTo(ULLONG_MAX) <= 0);
        return v.signum() < 0 ? v.add(TWO_64).longValue() : v.longValue();
    }

    private static BigInteger parse(String name, String text) {
        String t = text.stripLeading();
        int digits = t.startsWith("+") || t.startsWith("-") ? 1 : 0;
        boolean ok = t.length() > digits;
        for (int i = digits; i < t.length() && ok; i++) {
            ok = t.charAt(i) >= '0' && t.charAt(i) <= '9';
        }
        check(name, text, ok);
        return new BigInteger(t.startsWith("+") ? t.substring(1) : t);
    }

    private static void check(String name, String text, boolean ok) {
        if (!ok) {
            throw new CliError("Numeric value '" + text + "' for <" + name + "> option is malformed or out of range");
        }
    }
}

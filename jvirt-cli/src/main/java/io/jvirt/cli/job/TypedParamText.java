package io.jvirt.cli.job;

import io.jvirt.api.TypedParam;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A typed parameter's value as libvirt's {@code virTypedParameterToString} writes it: integers in decimal
 * (unsigned ones as unsigned), doubles as C's {@code %g}, booleans as 1 or 0, strings as they are. Pure.
 */
final class TypedParamText {
    private static final int G_PRECISION = 6;

    private TypedParamText() {}

    static String of(TypedParam param) {
        Object v = param.value();
        return switch (param.type()) {
            case INT, LLONG -> Long.toString(((Number) v).longValue());
            case UINT -> Long.toString(((Number) v).longValue() & 0xffff_ffffL);
            case ULLONG -> Long.toUnsignedString(((Number) v).longValue());
            case DOUBLE -> cG(((Number) v).doubleValue());
            case BOOLEAN -> Boolean.TRUE.equals(v) ? "1" : "0";
            case STRING -> String.valueOf(v);
        };
    }

    /** C's {@code %g}: six significant digits, trailing zeros dropped, exponent form outside [1e-4, 1e6). */
    static String cG(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(G_PRECISION, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= G_PRECISION) {
            BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            String sign = exponent < 0 ? "-" : "+";
            int abs = Math.abs(exponent);
            return mantissa.toPlainString() + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        return rounded.stripTrailingZeros().toPlainString();
    }
}

package io.jvirt.rpc.proto;

import io.jvirt.api.DomainRef;
import io.jvirt.api.TypedParam;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Builds a value of any type a procedure's codecs carry, with every field distinct, so a codec that swaps,
 * drops or misreads a field no longer round-trips. Strings stay ASCII and short enough for any bound.
 */
final class Samples {
    private final Random random;

    Samples(long seed) {
        this.random = new Random(seed);
    }

    Object of(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type element = p.getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                list.add(of(element));
            }
            return List.copyOf(list);
        }
        Class<?> c = (Class<?>) type;
        if (c == Void.class) {
            return null;
        }
        if (c == Integer.class || c == int.class) {
            return random.nextInt();
        }
        if (c == Long.class || c == long.class) {
            return random.nextLong();
        }
        if (c == String.class) {
            return "s" + Integer.toHexString(random.nextInt());
        }
        if (c == UUID.class) {
            return new UUID(random.nextLong(), random.nextLong());
        }
        if (c == DomainRef.class) {
            return new DomainRef("dom" + random.nextInt(1000), (UUID) of(UUID.class), random.nextInt(100) - 1);
        }
        if (c == Cookie.class) {
            byte[] b = new byte[1 + random.nextInt(40)];
            random.nextBytes(b);
            return new Cookie(b);
        }
        if (c == CpuMaps.class) {
            byte[] b = new byte[random.nextInt(16)];
            random.nextBytes(b);
            return new CpuMaps(b);
        }
        if (c == TypedParam.class) {
            return switch (random.nextInt(3)) {
                case 0 -> TypedParam.string("destination_xml", "<domain/>" + random.nextInt());
                case 1 -> TypedParam.ullong("bandwidth", random.nextLong());
                default -> TypedParam.integer("parallel.connections", random.nextInt());
            };
        }
        if (c.isRecord()) {
            return record(c);
        }
        throw new IllegalArgumentException("no sample for " + type);
    }

    private Object record(Class<?> c) {
        RecordComponent[] parts = c.getRecordComponents();
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            values[i] = of(parts[i].getGenericType());
        }
        try {
            return c.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

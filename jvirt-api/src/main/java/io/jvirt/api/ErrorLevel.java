package io.jvirt.api;

/** libvirt's {@code virErrorLevel}; wire values. */
public enum ErrorLevel {
    NONE(0),
    WARNING(1),
    ERROR(2);

    private final int wire;

    ErrorLevel(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    public static ErrorLevel fromWire(int wire) {
        return switch (wire) {
            case 0 -> NONE;
            case 1 -> WARNING;
            default -> ERROR;
        };
    }
}

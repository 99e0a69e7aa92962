package io.jvirt.qmp;

/** QEMU's version as its QMP greeting states it, e.g. 10.0.2. */
public record QemuVersion(int major, int minor, int micro) implements Comparable<QemuVersion> {

    /** True if this version is {@code major.minor} or later. */
    public boolean atLeast(int major, int minor) {
        return compareTo(new QemuVersion(major, minor, 0)) >= 0;
    }

    @Override
    public int compareTo(QemuVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(micro, other.micro);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}

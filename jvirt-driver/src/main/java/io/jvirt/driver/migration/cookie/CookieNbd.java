package io.jvirt.driver.migration.cookie;

import io.jvirt.config.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cookie's {@code nbd} section, for storage migration: the port of the destination's NBD server (0 when the
 * sender has none: the source in Begin and Perform) and the disks to copy with their virtual size in bytes, from
 * which the destination creates images that are missing. Immutable; any thread.
 *
 * @param port  the destination NBD server's TCP port, 0 for none (then the attribute is left out)
 * @param disks the disks being copied, in the domain's disk order
 */
public record CookieNbd(int port, List<Disk> disks) {
    /** One copied disk: its target ({@code vda}) and its virtual size in bytes. */
    public record Disk(String target, long capacity) {
        public Disk {
            Objects.requireNonNull(target, "target");
        }
    }

    public CookieNbd {
        disks = List.copyOf(disks);
    }

    /** The capacity the sender gave for {@code target}, or -1 when it did not list that disk. */
    public long capacityOf(String target) {
        for (Disk d : disks) {
            if (d.target().equals(target)) {
                return d.capacity();
            }
        }
        return -1;
    }

    /** This section with {@code newPort} as the NBD server's port. */
    public CookieNbd withPort(int newPort) {
        return new CookieNbd(newPort, disks);
    }

    /** An {@code nbd} section as libvirt reads it: the port and every disk's target and capacity are checked. */
    static CookieNbd read(XmlElement section) {
        String portText = section.attribute("port");
        int port = 0;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText.strip());
            } catch (NumberFormatException e) {
                throw MigrationCookieXml.fail("Malformed nbd port '" + portText + "'");
            }
        }
        List<Disk> disks = new ArrayList<>();
        for (XmlElement d : MigrationCookieXml.children(section, "disk")) {
            String target = d.attribute("target");
            if (target == null || target.isEmpty()) {
                throw MigrationCookieXml.fail("Malformed disk target");
            }
            String capacity = d.attribute("capacity");
            long bytes;
            try {
                bytes = Long.parseUnsignedLong(capacity == null ? "" : capacity.strip());
            } catch (NumberFormatException e) {
                throw MigrationCookieXml.fail(
                        "Malformed disk capacity: '" + (capacity == null ? "(null)" : capacity) + "'");
            }
            disks.add(new Disk(target, bytes));
        }
        return new CookieNbd(port, disks);
    }

    /** Appends the section as libvirt writes it: {@code <nbd port='N'>} with a {@code <disk/>} per disk. */
    void appendXml(StringBuilder out) {
        out.append("  <nbd");
        if (port != 0) {
            out.append(" port='").append(port).append('\'');
        }
        if (disks.isEmpty()) {
            out.append("/>\n");
            return;
        }
        out.append(">\n");
        for (Disk d : disks) {
            out.append("    <disk target='")
                    .append(XmlElement.escape(d.target(), true))
                    .append("' capacity='")
                    .append(Long.toUnsignedString(d.capacity()))
                    .append("'/>\n");
        }
        out.append("  </nbd>\n");
    }
}

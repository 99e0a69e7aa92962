package io.jvirt.driver.console;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;
import io.jvirt.config.CharDeviceDef;
import io.jvirt.config.CharSourceType;
import io.jvirt.config.DomainDef;
import io.jvirt.nativeio.NativeIOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code virDomainOpenConsole}: finds the character device a client asked for in the live definition, as
 * libvirt's QEMU driver finds it (no name: the first console, else the first serial port; a name: the alias of a
 * console or serial port), and joins the client's stream to its pseudo-terminal. One session per terminal: a
 * second client is refused unless it forces, which ends the first one's session.
 *
 * <p>Threading: any caller thread; the sessions are in a concurrent map.
 */
public final class DomainConsoles {
    /** {@code VIR_DOMAIN_CONSOLE_FORCE}. */
    public static final int FORCE = 1;
    /** {@code VIR_DOMAIN_CONSOLE_SAFE}: exclusive access, which every session here has. */
    public static final int SAFE = 2;

    private final Map<String, ConsoleRelay> sessions = new ConcurrentHashMap<>();

    /**
     * Opens a console of the running domain whose live definition is {@code live}.
     *
     * @param device the alias ({@code serial0}, {@code console0}), or null for the domain's console
     */
    public void open(
            DomainDef live, String device, ReadableByteChannel fromClient, WritableByteChannel toClient, int flags) {
        if ((flags & ~(FORCE | SAFE)) != 0) {
            throw VirtException.of(
                    ErrorCode.INVALID_ARG,
                    ErrorDomain.QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuDomainOpenConsole");
        }
        CharDeviceDef chr = find(live, device);
        if (chr == null) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "cannot find character device " + (device == null ? "<null>" : device));
        }
        if (chr.type() != CharSourceType.PTY || chr.sourcePath() == null) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "character device " + (device != null ? device : chr.info().alias()) + " is not using a PTY");
        }
        String path = chr.sourcePath();
        ConsoleRelay[] made = new ConsoleRelay[1];
        ConsoleRelay old = sessions.compute(path, (p, current) -> {
            if (current != null && !current.isStopped() && (flags & FORCE) == 0) {
                return current;
            }
            if (current != null) {
                current.stop();
            }
            try {
                made[0] = ConsoleRelay.start(live.name(), p, fromClient, toClient, () -> sessions.remove(p, made[0]));
            } catch (NativeIOException e) {
                throw VirtException.of(
                        ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "cannot open " + p + ": " + e.getMessage(), e);
            }
            return made[0];
        });
        if (made[0] == null || old != made[0]) {
            throw VirtException.of(
                    ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, "Active console session exists for this domain");
        }
    }

    private static CharDeviceDef find(DomainDef live, String device) {
        List<CharDeviceDef> consoles = live.consoles();
        List<CharDeviceDef> serials = live.serials();
        if (device == null) {
            if (!consoles.isEmpty()) {
                CharDeviceDef c = consoles.getFirst();
                // A serial console is serial port 0: its terminal is that port's.
                return isSerialConsole(c) && !serials.isEmpty() ? serials.getFirst() : c;
            }
            return serials.isEmpty() ? null : serials.getFirst();
        }
        for (int i = 0; i < consoles.size(); i++) {
            CharDeviceDef c = consoles.get(i);
            if (device.equals(c.info().alias()) || device.equals("console" + i)) {
                return isSerialConsole(c) && !serials.isEmpty() ? serials.getFirst() : c;
            }
        }
        return Stream.of(serials)
                .flatMap(List::stream)
                .filter(s -> device.equals(s.info().alias()))
                .findFirst()
                .orElse(null);
    }

    private static boolean isSerialConsole(CharDeviceDef c) {
        return c.targetType() == null || c.targetType().equals("serial");
    }
}

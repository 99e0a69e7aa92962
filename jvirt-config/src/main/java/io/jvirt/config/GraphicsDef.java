package io.jvirt.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code <graphics type='vnc'|'spice'>}. With {@code autoport} the ports are chosen at start: {@code port} and
 * {@code tlsPort} then hold the ports in use (live XML) or null; inactive and migratable XML write
 * {@code port='-1'} (and {@code tlsPort='-1'} when the display has TLS). A {@code tlsPort} of -1 asks for a TLS port
 * to be chosen at start. Without autoport they are the configured ports. {@code passwd} is kept as given.
 */
public record GraphicsDef(
        GraphicsType type,
        Integer port,
        boolean autoport,
        Integer tlsPort,
        List<GraphicsListen> listens,
        String passwd,
        DeviceInfo info,
        UnknownXml unknown)
        implements DeviceDef {
    public GraphicsDef {
        Objects.requireNonNull(type, "type");
        listens = List.copyOf(listens);
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public GraphicsDef withInfo(DeviceInfo newInfo) {
        return new GraphicsDef(type, port, autoport, tlsPort, listens, passwd, newInfo, unknown);
    }

    /** This display with the ports it actually got (live XML); {@code newTlsPort} may be null. */
    public GraphicsDef withPorts(Integer newPort, Integer newTlsPort) {
        return new GraphicsDef(type, newPort, autoport, newTlsPort, listens, passwd, info, unknown);
    }

    /** The address of the first {@code address} listen, or null (QEMU's default then applies). */
    public String listenAddress() {
        return listens.isEmpty() ? null : listens.getFirst().address();
    }
}

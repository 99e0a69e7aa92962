package io.jvirt.config;

/**
 * Writes one {@code <interface>} in libvirt's child order (mac, source, target, model, link, mtu, then alias and
 * address). A tap name the kernel generated is left out of inactive XML, as libvirt does, since the next run gets
 * its own. Stateless.
 */
final class InterfaceFormatter {
    private InterfaceFormatter() {}

    static XmlElement format(InterfaceDef i, boolean live, boolean inactive) {
        ElementWriter w = new ElementWriter("interface", i.unknown())
                .attr("type", i.type().xml());
        w.child("mac", m -> m.attr("address", i.mac()));
        if (i.sourceBridge() != null) {
            w.child("source", s -> s.attr("bridge", i.sourceBridge()));
        }
        boolean showDev = i.targetDev() != null && !(inactive && i.hasGeneratedTargetDev());
        if (showDev || i.targetManaged() != null) {
            w.child(
                    "target",
                    t -> t.attr("dev", showDev ? i.targetDev() : null)
                            .attr("managed", i.targetManaged() == null ? null : i.targetManaged() ? "yes" : "no"));
        }
        w.optionalChild("model", m -> m.attr("type", i.modelType()));
        if (i.linkState() != null) {
            w.child("link", l -> l.attr("state", i.linkState().xml()));
        }
        if (i.mtu() != null) {
            w.child("mtu", m -> m.attr("size", i.mtu()));
        }
        return DeviceFormatter.info(w.unknownElementsHere(), i.info(), live).build();
    }
}

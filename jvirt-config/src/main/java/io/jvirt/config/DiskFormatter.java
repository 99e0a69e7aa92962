package io.jvirt.config;

/**
 * Writes {@code <disk>} in libvirt's child order (driver, source, backingStore, target, readonly, shareable,
 * serial, boot, then alias and address). A backing chain that was read from the images is written only in live
 * XML, and its links' {@code index} only there. Stateless.
 */
final class DiskFormatter {
    private DiskFormatter() {}

    /** The disk's element, before alias and address (which {@link DeviceFormatter} adds). */
    static ElementWriter format(DiskDef d, boolean live) {
        ElementWriter w = new ElementWriter("disk", d.unknown())
                .attr("type", d.source().type().xml())
                .attr("device", d.device().xml());
        DiskDriver driver = d.driver();
        w.optionalChild(
                "driver",
                x -> x.attr("name", driver.name())
                        .attr("type", xml(driver.format()))
                        .attr("cache", xml(driver.cache()))
                        .attr("io", xml(driver.io()))
                        .attr("discard", xml(driver.discard()))
                        .attr("detect_zeroes", xml(driver.detectZeroes())));
        w.optionalChild(
                "source", x -> x.attr(d.source().pathAttribute(), d.source().path()));
        backingStore(w, d.backingStore(), live);
        w.child("target", x -> x.attr("dev", d.targetDev()).attr("bus", d.bus().xml()));
        if (d.readonly()) {
            w.child("readonly", x -> {});
        }
        if (d.shareable()) {
            w.child("shareable", x -> {});
        }
        w.textChild("serial", d.serial());
        if (d.bootOrder() != null) {
            w.child("boot", x -> x.attr("order", d.bootOrder()));
        }
        return w.unknownElementsHere();
    }

    private static void backingStore(ElementWriter parent, BackingStore b, boolean live) {
        if (b == null || (b.detected() && !live)) {
            return;
        }
        parent.child("backingStore", x -> {
            if (b.isEnd()) {
                return;
            }
            x.attr("type", b.source().type().xml());
            if (live && b.index() > 0) {
                x.attr("index", b.index());
            }
            x.child("format", f -> f.attr("type", b.format().xml()));
            x.child("source", s -> s.attr(b.source().pathAttribute(), b.source().path()));
            backingStore(x, b.backing(), live);
        });
    }

    private static String xml(XmlValue value) {
        return value == null ? null : value.xml();
    }
}

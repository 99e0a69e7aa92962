package io.jvirt.config;

/**
 * An enum constant that is written to XML: its wire form is {@link #xml()}, never its Java name or position.
 */
public interface XmlValue {
    String xml();

    /** The constant of {@code type} whose XML form is {@code text}, or null. */
    static <E extends Enum<E> & XmlValue> E lookup(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.xml().equals(text)) {
                return e;
            }
        }
        return null;
    }
}

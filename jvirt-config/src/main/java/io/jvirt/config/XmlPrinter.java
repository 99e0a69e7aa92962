package io.jvirt.config;

/**
 * Prints {@link XmlElement} trees the way libvirt does: two-space indent, single-quoted attributes, empty
 * elements as {@code <x/>}, text-only elements on one line. Mixed content is printed inline and unchanged.
 */
final class XmlPrinter {
    private XmlPrinter() {}

    static String print(XmlElement element) {
        StringBuilder out = new StringBuilder();
        print(element, 0, out);
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** Prints {@code e} as if nested {@code depth} levels deep, each line ending in a newline. */
    static void print(XmlElement e, int depth, StringBuilder out) {
        out.append("  ".repeat(depth));
        if (isMixedOrText(e)) {
            inline(e, out);
            out.append('\n');
            return;
        }
        openTag(e, out);
        if (e.children().isEmpty()) {
            out.append("/>\n");
            return;
        }
        out.append(">\n");
        for (XmlNode child : e.children()) {
            print((XmlElement) child, depth + 1, out);
        }
        out.append("  ".repeat(depth)).append("</").append(e.name()).append(">\n");
    }

    private static boolean isMixedOrText(XmlElement e) {
        for (XmlNode child : e.children()) {
            if (child instanceof XmlText) {
                return true;
            }
        }
        return false;
    }

    private static void inline(XmlElement e, StringBuilder out) {
        openTag(e, out);
        if (e.children().isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        for (XmlNode child : e.children()) {
            switch (child) {
                case XmlText t -> escape(t.text(), false, out);
                case XmlElement c -> inline(c, out);
            }
        }
        out.append("</").append(e.name()).append('>');
    }

    private static void openTag(XmlElement e, StringBuilder out) {
        out.append('<').append(e.name());
        for (XmlAttr a : e.attributes()) {
            out.append(' ').append(a.name()).append("='");
            escape(a.value(), true, out);
            out.append('\'');
        }
    }

    static void escape(String text, boolean attribute, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                case '\r' -> out.append("&#13;");
                // Attribute-value normalisation would turn these into spaces on the way back in.
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                default -> out.append(c);
            }
        }
    }
}

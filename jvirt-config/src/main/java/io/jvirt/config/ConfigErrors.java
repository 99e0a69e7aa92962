package io.jvirt.config;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;

/** The errors of domain XML parsing, with the codes libvirt uses for the same faults. */
final class ConfigErrors {
    private ConfigErrors() {}

    /** A definition that is well-formed XML but wrong: XML_ERROR, as libvirt's domain parser reports. */
    static VirtException xml(String detail) {
        return VirtException.of(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, detail);
    }

    /** A valid libvirt setting that jvirt does not support. */
    static VirtException unsupported(String detail) {
        return VirtException.of(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, detail);
    }

    /** Parses a non-negative int attribute or text, naming it and where it is when it is not one. */
    static Integer parseInt(String value, String what, String path) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw xml("invalid " + what + " '" + value + "' at " + path + ": expected an integer");
        }
    }
}

package io.jvirt.driver.domain;

import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.SecureXml;
import org.w3c.dom.Element;

/**
 * The last state and reason of an inactive persistent domain: {@code <domstate state='shutoff' reason='destroyed'/>}.
 * libvirt loses this on restart (its status file goes with the QEMU); jvirt keeps it so {@code shut off (destroyed)}
 * survives a restart.
 */
public final class LastStateXml {
    private LastStateXml() {}

    public static String format(StateReason reason) {
        return "<domstate state='" + reason.state().xmlName() + "' reason='" + StatusXml.escape(reason.xmlName())
                + "'/>\n";
    }

    public static StateReason parse(String text, String what) {
        Element root = SecureXml.parse(text, what).getDocumentElement();
        try {
            DomainState state = DomainState.fromXmlName(root.getAttribute("state"));
            return StateReason.fromXmlName(state, root.getAttribute("reason"));
        } catch (IllegalArgumentException e) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "invalid state file " + what + ": " + e.getMessage());
        }
    }
}

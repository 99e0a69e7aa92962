package io.jvirt.driver.domain;

import io.jvirt.api.DomainState;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.StateReason;
import io.jvirt.api.VirtException;
import io.jvirt.config.SecureXml;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The status file of a running domain, shaped like libvirt's:
 * <pre>
 * &lt;domstatus state='running' reason='booted' pid='1234'&gt;
 *   &lt;monitor path='DIR/run/qemu/g1.monitor' type='unix'/&gt;
 *   &lt;fakereboot/&gt;                   (only while a reboot waits for the guest to power off)
 *   &lt;job type='none' async='migration out' phase='perform3' flags='0x1'/&gt;   (only during a migration)
 *   &lt;domain type='qemu' id='1'&gt;…the live definition…&lt;/domain&gt;
 * &lt;/domstatus&gt;
 * </pre>
 * It is what a restarted driver needs to find the QEMU again and report the same state and reason.
 */
public record StatusXml(StateReason reason, long pid, Path monitorPath, boolean fakeReboot, Job job, String domainXml) {

    /**
     * The async job kept in the file so a restarted driver knows where a migration stood.
     *
     * @param async libvirt's async job name ("migration out", "migration in")
     * @param phase the migration phase name ("prepare", "perform3"…)
     * @param flags the migration's API flags
     */
    public record Job(String async, String phase, long flags) {}

    public StatusXml(StateReason reason, long pid, Path monitorPath, boolean fakeReboot, String domainXml) {
        this(reason, pid, monitorPath, fakeReboot, null, domainXml);
    }

    public String format() {
        StringBuilder out = new StringBuilder();
        out.append("<domstatus state='")
                .append(reason.state().xmlName())
                .append("' reason='")
                .append(reason.xmlName())
                .append("' pid='")
                .append(pid)
                .append("'>\n");
        out.append("  <monitor path='").append(escape(monitorPath.toString())).append("' type='unix'/>\n");
        if (fakeReboot) {
            out.append("  <fakereboot/>\n");
        }
        if (job != null) {
            out.append("  <job type='none' async='")
                    .append(escape(job.async()))
                    .append("' phase='")
                    .append(escape(job.phase()))
                    .append("' flags='0x")
                    .append(Long.toHexString(job.flags()))
                    .append("'/>\n");
        }
        for (String line : domainXml.strip().split("\n")) {
            out.append("  ").append(line).append('\n');
        }
        out.append("</domstatus>\n");
        return out.toString();
    }

    public static StatusXml parse(String text, String what) {
        Document doc = SecureXml.parse(text, what);
        Element root = doc.getDocumentElement();
        if (!"domstatus".equals(root.getTagName())) {
            throw invalid(what, "root element is <" + root.getTagName() + ">, expected <domstatus>");
        }
        try {
            DomainState state = DomainState.fromXmlName(root.getAttribute("state"));
            StateReason reason = StateReason.fromXmlName(state, root.getAttribute("reason"));
            long pid = Long.parseLong(root.getAttribute("pid"));
            Element monitor = child(root, "monitor", what);
            Element domain = child(root, "domain", what);
            boolean fakeReboot = root.getElementsByTagName("fakereboot").getLength() > 0;
            Job job = null;
            Element jobElement = optionalChild(root, "job");
            if (jobElement != null && !jobElement.getAttribute("async").isEmpty()) {
                String flags = jobElement.getAttribute("flags");
                job = new Job(
                        jobElement.getAttribute("async"),
                        jobElement.getAttribute("phase"),
                        flags.startsWith("0x") ? Long.parseUnsignedLong(flags.substring(2), 16) : 0);
            }
            return new StatusXml(
                    reason, pid, Path.of(monitor.getAttribute("path")), fakeReboot, job, serialize(domain));
        } catch (IllegalArgumentException e) {
            throw invalid(what, e.getMessage());
        }
    }

    private static Element child(Element parent, String name, String what) {
        Element e = optionalChild(parent, name);
        if (e == null) {
            throw invalid(what, "missing <" + name + "> element");
        }
        return e;
    }

    private static Element optionalChild(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String serialize(Element element) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(element), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalArgumentException("cannot serialize <domain>: " + e.getMessage(), e);
        }
    }

    private static VirtException invalid(String what, String detail) {
        return VirtException.of(
                ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, "invalid status file " + what + ": " + detail);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace("'", "&apos;")
                .replace("\"", "&quot;");
    }
}

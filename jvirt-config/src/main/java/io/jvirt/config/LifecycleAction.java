package io.jvirt.config;

/** What happens on guest poweroff, reboot or crash ({@code <on_poweroff>} etc.). */
public enum LifecycleAction implements XmlValue {
    DESTROY("destroy"),
    RESTART("restart"),
    PRESERVE("preserve"),
    RENAME_RESTART("rename-restart"),
    COREDUMP_DESTROY("coredump-destroy"),
    COREDUMP_RESTART("coredump-restart");

    private final String xml;

    LifecycleAction(String xml) {
        this.xml = xml;
    }

    /** The value as written in domain XML. */
    @Override
    public String xml() {
        return xml;
    }
}

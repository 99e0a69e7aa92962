package io.jvirt.config;

/** Disk target names ({@code vda}, {@code sdb}, {@code hdaa}) and the index their letters count. Stateless. */
public final class DiskNames {
    private static final String[] PREFIXES = {"fd", "hd", "vd", "sd", "xvd", "ubd"};

    private DiskNames() {}

    /**
     * The index of a target name as libvirt counts it: the letters after the prefix in base 26, {@code a}=0,
     * {@code z}=25, {@code aa}=26; -1 when the name has no known prefix or other characters follow.
     */
    public static int index(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return letters(name.substring(prefix.length()));
            }
        }
        return -1;
    }

    private static int letters(String s) {
        long idx = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 'a' || c > 'z') {
                return -1;
            }
            idx = (idx + (i == 0 ? 0 : 1)) * 26 + (c - 'a');
            if (idx > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return (int) idx;
    }
}

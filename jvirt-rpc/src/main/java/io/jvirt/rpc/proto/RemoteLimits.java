package io.jvirt.rpc.proto;

/** Bounds from libvirt's {@code remote_protocol.x} (unchanged from 9.0 to 11.x). */
public final class RemoteLimits {
    private RemoteLimits() {}

    /** {@code REMOTE_STRING_MAX}. */
    public static final int STRING_MAX = 4_194_304;
    /** {@code REMOTE_DOMAIN_LIST_MAX}: domains, ids and names in one list. */
    public static final int DOMAIN_LIST_MAX = 16_384;
    /** {@code REMOTE_MIGRATE_COOKIE_MAX}. */
    public static final int MIGRATE_COOKIE_MAX = 4_194_304;
    /** {@code REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX}. */
    public static final int MIGRATE_PARAM_LIST_MAX = 64;
    /** {@code REMOTE_DOMAIN_JOB_STATS_MAX}. */
    public static final int JOB_STATS_MAX = 64;
    /** {@code REMOTE_DOMAIN_SAVE_PARAMS_MAX}. */
    public static final int SAVE_PARAMS_MAX = 64;
    /** {@code REMOTE_AUTH_TYPE_LIST_MAX}. */
    public static final int AUTH_TYPE_LIST_MAX = 20;
    /** {@code REMOTE_DOMAIN_MESSAGES_MAX}. */
    public static final int DOMAIN_MESSAGES_MAX = 2_048;
    /** {@code REMOTE_SECURITY_MODEL_MAX} ({@code VIR_SECURITY_MODEL_BUFLEN}, NUL included). */
    public static final int SECURITY_MODEL_MAX = 257;
    /** {@code REMOTE_SECURITY_DOI_MAX}. */
    public static final int SECURITY_DOI_MAX = 257;
    /** {@code REMOTE_SECURITY_LABEL_MAX}. */
    public static final int SECURITY_LABEL_MAX = 4_097;
    /** {@code char model[32]} of {@code remote_node_get_info_ret}. */
    public static final int NODE_INFO_MODEL_CHARS = 32;
}

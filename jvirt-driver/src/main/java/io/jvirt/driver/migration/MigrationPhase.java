package io.jvirt.driver.migration;

import io.jvirt.api.ErrorCode;
import io.jvirt.api.ErrorDomain;
import io.jvirt.api.VirtException;

/**
 * libvirt's {@code qemuMigrationJobPhase}: where a migration job stands. Numbers and names are those of libvirt's
 * status XML. The phases up to {@link #POSTCOPY_FAILED} only move forward; the resume phases after it belong to a
 * resumed post-copy migration (VIR_MIGRATE_POSTCOPY_RESUME).
 */
public enum MigrationPhase {
    NONE(0, "none"),
    PERFORM2(1, "perform2"),
    BEGIN3(2, "begin3"),
    PERFORM3(3, "perform3"),
    PERFORM3_DONE(4, "perform3_done"),
    CONFIRM3_CANCELLED(5, "confirm3_cancelled"),
    CONFIRM3(6, "confirm3"),
    PREPARE(7, "prepare"),
    FINISH2(8, "finish2"),
    FINISH3(9, "finish3"),
    POSTCOPY_FAILED(10, "postcopy_failed"),
    BEGIN_RESUME(11, "begin_resume"),
    PERFORM_RESUME(12, "perform_resume"),
    CONFIRM_RESUME(13, "confirm_resume"),
    PREPARE_RESUME(14, "prepare_resume"),
    FINISH_RESUME(15, "finish_resume");

    private final int onDisk;
    private final String xmlName;

    MigrationPhase(int onDisk, String xmlName) {
        this.onDisk = onDisk;
        this.xmlName = xmlName;
    }

    public int onDisk() {
        return onDisk;
    }

    public String xmlName() {
        return xmlName;
    }

    public static MigrationPhase fromXmlName(String name) {
        for (MigrationPhase p : values()) {
            if (p.xmlName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown migration phase '" + name + "'");
    }

    /** Refuses a step back, as libvirt refuses "migration protocol going backwards". */
    void requireForwardTo(MigrationPhase next) {
        if (next.onDisk < onDisk && next.onDisk < POSTCOPY_FAILED.onDisk) {
            throw VirtException.of(
                    ErrorCode.INTERNAL_ERROR,
                    ErrorDomain.QEMU,
                    "migration protocol going backwards " + xmlName + " => " + next.xmlName);
        }
    }
}

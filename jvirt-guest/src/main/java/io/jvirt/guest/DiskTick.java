package io.jvirt.guest;

/**
 * The disk part of a tick line, present when the guest runs its disk workload:
 * {@code disk_writes=<n> disk_pass=<p> disk=ok|BAD@<sector>}. A value; any thread.
 *
 * @param writes    block writes on the workload's region so far, counting earlier boots' (found by the guest's
 *                  scan at start), so a guest that only verifies a copied disk shows the writer's last count
 * @param passes    whole verify passes over the written region in this boot
 * @param ok        false once the guest has read a block that differs from what it wrote, or failed to read or
 *                  write one (sticky)
 * @param badSector the first 512-byte sector found wrong, or -1 when {@code ok}
 */
public record DiskTick(long writes, long passes, boolean ok, long badSector) {
    public DiskTick {
        if (ok != (badSector < 0)) {
            throw new IllegalArgumentException("badSector must be -1 exactly when the disk is ok: " + badSector);
        }
    }
}

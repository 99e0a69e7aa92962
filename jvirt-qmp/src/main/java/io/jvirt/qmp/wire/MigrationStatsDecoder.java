package io.jvirt.qmp.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.jvirt.qmp.MigrationRamStats;
import io.jvirt.qmp.MigrationStats;
import io.jvirt.qmp.MigrationStatus;
import io.jvirt.qmp.XbzrleCacheStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a {@code query-migrate} reply (MigrationInfo) to {@link MigrationStats}. Lenient by design: QEMU leaves out
 * whatever does not apply to the current phase, so every member is optional (absent numbers are 0, see the record).
 */
final class MigrationStatsDecoder {
    /** Bound on {@code blocked-reasons} kept; QEMU lists one per blocker, a handful at most. */
    private static final int MAX_BLOCKED_REASONS = 256;

    private MigrationStatsDecoder() {}

    static MigrationStats decode(JsonNode info) throws IOException {
        QmpReplies.requireObject(info, "query-migrate");
        JsonNode status = info.get("status");
        return new MigrationStats(
                status == null || status.isNull() ? MigrationStatus.NONE : MigrationStatus.fromQmp(status.asText()),
                info.path("total-time").asLong(0),
                info.path("setup-time").asLong(0),
                info.path("expected-downtime").asLong(0),
                info.path("downtime").asLong(0),
                info.path("cpu-throttle-percentage").asInt(0),
                info.hasNonNull("error-desc") ? info.get("error-desc").asText() : null,
                blockedReasons(info.path("blocked-reasons")),
                ram(info.get("ram")),
                xbzrle(info.get("xbzrle-cache")));
    }

    private static MigrationRamStats ram(JsonNode ram) {
        if (ram == null || !ram.isObject()) {
            return MigrationRamStats.NONE;
        }
        return new MigrationRamStats(
                ram.path("transferred").asLong(0),
                ram.path("remaining").asLong(0),
                ram.path("total").asLong(0),
                ram.path("duplicate").asLong(0),
                ram.path("normal").asLong(0),
                ram.path("normal-bytes").asLong(0),
                ram.path("dirty-pages-rate").asLong(0),
                ram.path("mbps").asDouble(0.0),
                ram.path("dirty-sync-count").asLong(0),
                ram.path("page-size").asLong(0),
                ram.path("postcopy-requests").asLong(0),
                ram.path("precopy-bytes").asLong(0),
                ram.path("downtime-bytes").asLong(0),
                ram.path("postcopy-bytes").asLong(0),
                ram.path("multifd-bytes").asLong(0),
                ram.path("pages-per-second").asLong(0));
    }

    private static XbzrleCacheStats xbzrle(JsonNode cache) {
        if (cache == null || !cache.isObject()) {
            return null;
        }
        return new XbzrleCacheStats(
                cache.path("cache-size").asLong(0),
                cache.path("bytes").asLong(0),
                cache.path("pages").asLong(0),
                cache.path("cache-miss").asLong(0),
                cache.path("overflow").asLong(0),
                cache.path("cache-miss-rate").asDouble(0.0),
                cache.path("encoding-rate").asDouble(0.0));
    }

    private static List<String> blockedReasons(JsonNode reasons) {
        List<String> list = new ArrayList<>();
        for (JsonNode reason : reasons) {
            if (list.size() == MAX_BLOCKED_REASONS) {
                break;
            }
            list.add(reason.asText());
        }
        return list;
    }
}

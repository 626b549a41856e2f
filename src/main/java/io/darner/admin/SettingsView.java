package io.darner.admin;

import io.darner.config.SyncPolicy;
import io.darner.queue.QueuePolicy;

/**
 * A queue's effective settings as JSON: null where there is no limit or no target.
 *
 * @param sync {@code never}, {@code always} or the fsync period in milliseconds
 */
public record SettingsView(Long maxItems, Long maxSize, long maxItemSize, boolean discardOldWhenFull, Long maxAgeMs,
                           String expireToQueue, boolean fanoutOnly, Long openTimeoutMs, Integer maxDeliveries,
                           String deadLetterQueue, String sync, Long deleteWhenIdleMs) {

    static SettingsView of(QueuePolicy p) {
        return new SettingsView(limit(p.maxItems()), limit(p.maxSize()), p.maxItemSize(), p.discardOldWhenFull(),
                positive(p.maxAgeMs()), p.expireToQueue(), p.fanoutOnly(), positive(p.openTimeoutMs()),
                p.maxDeliveries() > 0 ? p.maxDeliveries() : null, p.deadLetterQueue(), sync(p.sync()),
                positive(p.deleteWhenIdleMs()));
    }

    /** {@link Long#MAX_VALUE} stands for unlimited in a policy. */
    private static Long limit(long v) {
        return v == Long.MAX_VALUE ? null : v;
    }

    /** 0 stands for none in a policy. */
    private static Long positive(long v) {
        return v > 0 ? v : null;
    }

    private static String sync(SyncPolicy s) {
        if (s.always()) {
            return "always";
        }
        return s.periodMs() > 0 ? Long.toString(s.periodMs()) : "never";
    }
}

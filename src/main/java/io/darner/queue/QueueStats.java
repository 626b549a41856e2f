package io.darner.queue;

import java.util.List;

/**
 * A consistent snapshot of one queue's figures (spec section 6). {@code delayed}: items not due yet
 * (delayed sets, and open reads aborted with a delay), in neither {@code items} nor {@code openTransactions}.
 */
public record QueueStats(
        String name,
        long items,
        long bytes,
        long totalItems,
        long logSize,
        long expiredItems,
        long memItems,
        long memBytes,
        long ageMs,
        long discarded,
        long deadLettered,
        int waiters,
        long openTransactions,
        long transactions,
        long canceledTransactions,
        long totalFlushes,
        List<String> children,
        long delayed) {}

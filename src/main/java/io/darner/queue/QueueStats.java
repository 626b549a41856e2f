package io.darner.queue;

import java.util.List;

/** A consistent snapshot of one queue's figures (spec section 6). */
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
        List<String> children) {}

package io.darner.queue;

import io.darner.config.SyncPolicy;

/**
 * The effective settings of one queue (spec section 5), resolved from the configuration.
 *
 * @param maxItems items held before the queue is full ({@link Long#MAX_VALUE}: unlimited)
 * @param maxSize data bytes held before the queue is full ({@link Long#MAX_VALUE}: unlimited)
 * @param maxItemSize largest item accepted
 * @param maxAgeMs cap on every item's lifetime, 0 for none
 * @param expireToQueue where expired items go, or null to drop them
 * @param openTimeoutMs an open read not confirmed within this goes back to the head, 0 for never
 * @param maxDeliveries unconfirmed deliveries after which an item is dead-lettered, 0 for no limit
 * @param deadLetterQueue where dead-lettered items go, or null to drop them
 * @param sync when writes to this queue are made durable
 * @param deleteWhenIdleMs an empty queue unused this long is deleted, 0 for never
 */
public record QueuePolicy(long maxItems, long maxSize, long maxItemSize, boolean discardOldWhenFull, long maxAgeMs,
                          String expireToQueue, boolean fanoutOnly, long openTimeoutMs, int maxDeliveries,
                          String deadLetterQueue, SyncPolicy sync, long deleteWhenIdleMs) {

    /** The expiry of an item stored now with the client's expiry, capped by max-age. */
    public long capExpiry(long expiresAt, long nowMs) {
        if (maxAgeMs <= 0) {
            return expiresAt;
        }
        long cap = nowMs + maxAgeMs;
        return expiresAt == 0 ? cap : Math.min(expiresAt, cap);
    }
}

package io.darner.config;

import io.quarkus.runtime.configuration.MemorySize;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Per-queue settings (spec section 5), all optional: a queue takes the defaults
 * ({@code darner.queue-defaults.*}), then its parent's entry for a fanout child {@code a+b}, then
 * its own entry ({@code darner.queues."name".*}).
 */
public interface QueueSettings {

    /** Items the queue may hold; then sets get NOT_STORED, or the oldest are dropped with discard-old-when-full. */
    OptionalLong maxItems();

    /** Data bytes the queue may hold, likewise. */
    Optional<MemorySize> maxSize();

    /** Largest item this queue accepts (NOT_STORED above); at most the server's max-item-size. */
    Optional<MemorySize> maxItemSize();

    /** When full, drop the oldest items (counted in discarded) instead of refusing new ones. */
    Optional<Boolean> discardOldWhenFull();

    /** Caps every item's expiry: an item expires at the latest this long after it was stored. */
    Optional<Duration> maxAge();

    /** Expired items move to this queue instead of vanishing (a delay queue). */
    Optional<String> expireToQueue();

    /** A parent that only feeds its {@code +} children and stores nothing itself. */
    Optional<Boolean> fanoutOnly();

    /** An open read not confirmed within this time goes back to the head of the queue. */
    Optional<Duration> openTimeout();

    /** An item handed out this many times by open reads that were not confirmed is dead-lettered. */
    OptionalInt maxDeliveries();

    /** Where dead-lettered items go; without it they are dropped (counted in discarded). */
    Optional<String> deadLetterQueue();

    /**
     * A queue empty this long, without open reads or waiters and without a set or get, is deleted
     * (it comes back like any new queue on its next use). A queue that holds items is never deleted so.
     */
    Optional<Duration> deleteWhenIdle();

    /** {@code never}, {@code always} or a period in milliseconds; overrides {@code darner.sync} for this queue's writes. */
    Optional<String> sync();
}

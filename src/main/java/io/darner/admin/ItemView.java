package io.darner.admin;

import java.time.Instant;

/**
 * One item peeked at, without taking it.
 *
 * @param position 0 for the item the next reader gets, then 1, 2, ...
 * @param size the whole item's length in bytes
 * @param expiresAt null when the item never expires
 * @param deliveries times it was handed out by open reads that were not confirmed
 * @param encoding {@code text} when the payload is valid UTF-8, else {@code base64}
 * @param truncated the payload holds only the first bytes of the item (see darner.admin.max-preview-bytes)
 */
public record ItemView(int position, int size, long flags, Instant enqueuedAt, Instant expiresAt, int deliveries,
                       String encoding, String payload, boolean truncated) {}

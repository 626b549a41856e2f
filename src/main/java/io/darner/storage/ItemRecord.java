package io.darner.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What is stored for one item. Small items carry their data inline; a large item's data lives in
 * chunks under {@code blobId} and the record is only its header.
 *
 * <p>Its encoding is part of the on-disk format, described in {@link Keys}: version 1 for an item
 * without an origin (every item but dead letters, byte for byte as before origins existed), version
 * 2 with one.
 *
 * @param flags the client's 32-bit flags
 * @param expiresAt epoch milliseconds after which the item is not handed out, 0 for never
 * @param enqueuedAt epoch milliseconds when it was stored
 * @param deliveries how many times it was handed out by an open read that did not end in a confirm
 * @param length the data length
 * @param blobId the chunk set holding the data, or {@link #INLINE}
 * @param data the data when inline, else null
 * @param origin the queue a dead letter was dead-lettered from (where a redrive takes it back), else null
 */
public record ItemRecord(long flags, long expiresAt, long enqueuedAt, int deliveries, int length, long blobId,
                         byte[] data, String origin) {
    public static final long INLINE = -1;
    private static final byte VERSION = 1;
    private static final byte VERSION_WITH_ORIGIN = 2;
    private static final int HEADER = 1 + 4 + 8 + 8 + 4 + 4 + 8;

    /** An item without an origin. */
    public ItemRecord(long flags, long expiresAt, long enqueuedAt, int deliveries, int length, long blobId,
                      byte[] data) {
        this(flags, expiresAt, enqueuedAt, deliveries, length, blobId, data, null);
    }

    public static ItemRecord inline(long flags, long expiresAt, long enqueuedAt, byte[] data) {
        return new ItemRecord(flags, expiresAt, enqueuedAt, 0, data.length, INLINE, data, null);
    }

    public boolean isInline() {
        return blobId == INLINE;
    }

    public boolean isExpired(long nowMillis) {
        return expiresAt != 0 && expiresAt <= nowMillis;
    }

    public ItemRecord withDeliveries(int n) {
        return new ItemRecord(flags, expiresAt, enqueuedAt, n, length, blobId, data, origin);
    }

    public ItemRecord withExpiry(long at) {
        return new ItemRecord(flags, at, enqueuedAt, deliveries, length, blobId, data, origin);
    }

    /** The same item, dead-lettered from {@code queue} (null: no longer a dead letter). */
    public ItemRecord withOrigin(String queue) {
        return new ItemRecord(flags, expiresAt, enqueuedAt, deliveries, length, blobId, data, queue);
    }

    /** The same item without its inline data: what the heap keeps while the item is open. */
    public ItemRecord headerOnly() {
        return data == null ? this : new ItemRecord(flags, expiresAt, enqueuedAt, deliveries, length, blobId, null, origin);
    }

    byte[] encode() {
        int dataLength = isInline() ? length : 0;
        byte[] originBytes = origin == null ? null : origin.getBytes(StandardCharsets.UTF_8);
        int originLength = originBytes == null ? 0 : 2 + originBytes.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + originLength + dataLength);
        b.put(originBytes == null ? VERSION : VERSION_WITH_ORIGIN).putInt((int) flags).putLong(expiresAt)
                .putLong(enqueuedAt).putInt(deliveries).putInt(length).putLong(blobId);
        if (originBytes != null) {
            b.putShort((short) originBytes.length).put(originBytes);
        }
        if (dataLength > 0) {
            b.put(data, 0, dataLength);
        }
        return b.array();
    }

    /** Decodes a stored record; {@code withData=false} skips copying inline data (for counting). */
    static ItemRecord decode(byte[] v, boolean withData) {
        ByteBuffer b = ByteBuffer.wrap(v);
        byte version = b.get();
        if ((version != VERSION && version != VERSION_WITH_ORIGIN) || v.length < HEADER) {
            throw new StoreException("unknown item record format " + version);
        }
        long flags = b.getInt() & 0xFFFF_FFFFL;
        long expiresAt = b.getLong();
        long enqueuedAt = b.getLong();
        int deliveries = b.getInt();
        int length = b.getInt();
        long blobId = b.getLong();
        String origin = null;
        if (version == VERSION_WITH_ORIGIN) {
            byte[] name = new byte[b.getShort() & 0xFFFF];
            b.get(name);
            origin = new String(name, StandardCharsets.UTF_8);
        }
        byte[] data = null;
        if (blobId == INLINE && withData) {
            data = new byte[length];
            b.get(data);
        }
        return new ItemRecord(flags, expiresAt, enqueuedAt, deliveries, length, blobId, data, origin);
    }
}

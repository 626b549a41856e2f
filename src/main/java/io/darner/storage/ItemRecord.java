package io.darner.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What is stored for one item. Small items carry their data inline; a large item's data lives in
 * chunks under {@code blobId} and the record is only its header.
 *
 * <p>Its encoding is part of the on-disk format, described in {@link Keys}. This server writes
 * version 3 (every field a varint) and reads the fixed-width versions 1 (no origin) and 2 (with an
 * origin) that earlier stores hold.
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
    /** Store format 3 on: the same fields as varints, about 25 bytes less per item. */
    private static final byte VERSION_COMPACT = 3;
    private static final byte[] EMPTY = new byte[0];
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

    /** The stored form: always a version-3 record (see {@link Keys}). */
    byte[] encode() {
        byte[] out = new byte[encodedLength()];
        encodeInto(out, 0);
        return out;
    }

    /** The length of {@link #encode()}'s result. */
    int encodedLength() {
        int originLength = origin == null ? 0 : origin.getBytes(StandardCharsets.UTF_8).length;
        return 1 + varLength(flags & 0xFFFF_FFFFL) + varLength(expiresAt) + varLength(enqueuedAt) + varLength(deliveries)
                + varLength(length) + varLength(blobId + 1) + varLength(originLength) + originLength
                + (isInline() ? length : 0);
    }

    /** Writes {@link #encode()}'s bytes into {@code out} from {@code at}; {@link #encodedLength()} must fit. */
    void encodeInto(byte[] out, int from) {
        byte[] originBytes = origin == null ? EMPTY : origin.getBytes(StandardCharsets.UTF_8);
        out[from] = VERSION_COMPACT;
        int at = putVar(out, from + 1, flags & 0xFFFF_FFFFL);
        at = putVar(out, at, expiresAt);
        at = putVar(out, at, enqueuedAt);
        at = putVar(out, at, deliveries);
        at = putVar(out, at, length);
        at = putVar(out, at, blobId + 1);
        at = putVar(out, at, originBytes.length);
        System.arraycopy(originBytes, 0, out, at, originBytes.length);
        if (isInline() && length > 0) {
            System.arraycopy(data, 0, out, at + originBytes.length, length);
        }
    }

    /** Decodes a stored record of any version; {@code withData=false} skips copying inline data (for counting). */
    static ItemRecord decode(byte[] v, boolean withData) {
        if (v.length > 0 && v[0] == VERSION_COMPACT) {
            return decodeCompact(v, withData);
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        byte version = v.length == 0 ? 0 : b.get();
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

    private static ItemRecord decodeCompact(byte[] v, boolean withData) {
        VarReader r = new VarReader(v);
        long flags = r.next();
        long expiresAt = r.next();
        long enqueuedAt = r.next();
        long deliveries = r.next();
        long length = r.next();
        long blobId = r.next() - 1;
        long originLength = r.next();
        if (flags > 0xFFFF_FFFFL || deliveries > Integer.MAX_VALUE || length > Integer.MAX_VALUE
                || originLength > v.length - r.at
                || v.length - r.at - originLength != (blobId == INLINE ? length : 0)) {
            throw new StoreException("damaged item record (version 3, " + v.length + " bytes)");
        }
        String origin = originLength == 0 ? null : new String(v, r.at, (int) originLength, StandardCharsets.UTF_8);
        byte[] data = null;
        if (blobId == INLINE && withData) {
            int from = r.at + (int) originLength;
            data = Arrays.copyOfRange(v, from, from + (int) length);
        }
        return new ItemRecord(flags, expiresAt, enqueuedAt, (int) deliveries, (int) length, blobId, data, origin);
    }

    /** Bytes of {@code value} (not negative) as a base-128 varint, low group first. */
    private static int varLength(long value) {
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }

    private static int putVar(byte[] out, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** Reads base-128 varints from the start of a version-3 record. */
    private static final class VarReader {
        private final byte[] v;
        int at = 1;

        VarReader(byte[] v) {
            this.v = v;
        }

        long next() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= v.length) {
                    break;
                }
                byte b = v[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new StoreException("damaged item record (version 3, " + v.length + " bytes)");
        }
    }
}
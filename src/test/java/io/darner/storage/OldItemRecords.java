package io.darner.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Item records as store formats 1 and 2 wrote them (fixed width; see {@link Keys}), for stores of those formats. */
final class OldItemRecords {
    private OldItemRecords() {}

    /** Version 1 without an origin, version 2 with one. */
    static byte[] encode(ItemRecord r) {
        byte[] origin = r.origin() == null ? null : r.origin().getBytes(StandardCharsets.UTF_8);
        int data = r.isInline() ? r.length() : 0;
        ByteBuffer b = ByteBuffer.allocate(37 + (origin == null ? 0 : 2 + origin.length) + data);
        b.put((byte) (origin == null ? 1 : 2)).putInt((int) r.flags()).putLong(r.expiresAt()).putLong(r.enqueuedAt())
                .putInt(r.deliveries()).putInt(r.length()).putLong(r.blobId());
        if (origin != null) {
            b.putShort((short) origin.length).put(origin);
        }
        if (data > 0) {
            b.put(r.data());
        }
        return b.array();
    }
}

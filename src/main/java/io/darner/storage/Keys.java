package io.darner.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The on-disk format: the keys and values of the one LevelDB that holds every queue. This comment
 * is the description of the format; docs/storage.md points here.
 *
 * <p>Numbers are big-endian, so that byte order is numeric order, which makes each queue one
 * contiguous key range in FIFO order. Text is UTF-8.
 *
 * <pre>
 * key                         value                 what
 * 0x01 name                   qid(8)                catalog: the live queue id of each queue name
 * 0x02 qid(8) seq(8)          item record           one per stored item ({@link ItemRecord}), written (store
 *                                                   format 3 on) as version(1) = 3, then varints (base 128, low
 *                                                   group first, as LevelDB's): flags expiresAt enqueuedAt
 *                                                   (epoch ms, expiry 0 for never) deliveries length blobId+1
 *                                                   (0: inline) originLength (0: none), the origin (the queue a
 *                                                   dead letter was dead-lettered from), then the data when
 *                                                   inline, else the data is in chunks. Formats 1 and 2 wrote
 *                                                   version(1) = 1: flags(4) expiresAt(8) enqueuedAt(8)
 *                                                   deliveries(4) length(4) blobId(8) (-1: inline), then the
 *                                                   data; and for a dead letter (format 2) version(1) = 2: the
 *                                                   same fields, then originLength(2) origin, then the data.
 *                                                   This server reads all three
 * 0x03 blob(8) chunk(4)       bytes                 the data of a large item, in chunks of
 *                                                   {@link QueueStore#CHUNK_SIZE} bytes (the last one shorter)
 * 0x04 blob(8)                empty                 a large item being received: chunks to remove if it never completes
 * 0x05 qid(8)                 empty                 a flushed or deleted queue generation whose items are still being purged
 * 0x06 qid(8)                 items(8) bytes(8)     a queue's counts and where its next item goes, written at a clean
 *                             nextSeq(8)            stop and valid only with the clean marker, see {@link StoredCounts}
 * 0x07 name                   value                 server-wide values, by name:
 *      "format-version"       version(4)              the version of this format, see {@link StoreFormat}
 *      "next-qid"             qid(8)                  the id the next queue gets
 *      "clean"                empty                   the clean-stop marker, removed at open
 *      "setting:" setting     text                    a setting changed at run time (e.g. the server status)
 * 0x08 blob(8)                references(4)         how many items share a large item's chunks (fanout), when more than one
 * 0x09 qid(8) due(8) seq(8)   item record           a delayed item (since version 2), not handed out before due (epoch
 *                                                   ms); seq orders the items of one due time as they were set. When
 *                                                   due, it moves to the queue's tail as a 0x02 item, in one batch
 * 0xff                        empty                 sentinel after every other key, so every seek lands on a key
 * </pre>
 *
 * A change that a server of the current version would misread raises {@link StoreFormat#VERSION}.
 * Format 2 added the delayed items and the version-2 item record of dead letters; a format-1 store is
 * format 2 without either. Format 3 writes the version-3 item record (varints: about 25 bytes less per
 * item in the log, the memtable and the tables); a format-2 store is format 3 with only older records.
 * A queue name reaches the store only as key bytes, never as a file path.
 */
final class Keys {
    static final byte CATALOG = 0x01;
    static final byte ITEM = 0x02;
    static final byte CHUNK = 0x03;
    static final byte PENDING_BLOB = 0x04;
    static final byte PURGE = 0x05;
    static final byte COUNTS = 0x06;
    static final byte META = 0x07;
    static final byte BLOB_REFERENCES = 0x08;
    static final byte DELAYED = 0x09;
    static final byte[] SENTINEL = {(byte) 0xff};
    /** An item key: type, qid, seq. */
    static final int ITEM_KEY_LENGTH = 1 + 8 + 8;
    /** Big-endian numbers written straight into a key (an item key is built for every set and get). */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static final byte[] META_NEXT_QID = meta("next-qid");
    static final byte[] META_CLEAN = meta("clean");
    static final byte[] META_FORMAT_VERSION = meta("format-version");

    private Keys() {}

    static byte[] catalog(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[1 + n.length];
        k[0] = CATALOG;
        System.arraycopy(n, 0, k, 1, n.length);
        return k;
    }

    static String catalogName(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    static byte[] item(long qid, long seq) {
        byte[] k = new byte[ITEM_KEY_LENGTH];
        item(qid, seq, k, 0);
        return k;
    }

    /** Writes an item's key into {@code out} from {@code at} ({@link #ITEM_KEY_LENGTH} bytes). */
    static void item(long qid, long seq, byte[] out, int at) {
        out[at] = ITEM;
        LONG.set(out, at + 1, qid);
        LONG.set(out, at + 9, seq);
    }

    static boolean isItemOf(byte[] key, long qid) {
        return key.length == ITEM_KEY_LENGTH && key[0] == ITEM && ByteBuffer.wrap(key, 1, 8).getLong() == qid;
    }

    static long itemSeq(byte[] key) {
        return ByteBuffer.wrap(key, 9, 8).getLong();
    }

    static byte[] delayed(long qid, long dueAt, long seq) {
        return ByteBuffer.allocate(25).put(DELAYED).putLong(qid).putLong(dueAt).putLong(seq).array();
    }

    static boolean isDelayedOf(byte[] key, long qid) {
        return key.length == 25 && key[0] == DELAYED && ByteBuffer.wrap(key, 1, 8).getLong() == qid;
    }

    static long delayedDue(byte[] key) {
        return ByteBuffer.wrap(key, 9, 8).getLong();
    }

    static long delayedSeq(byte[] key) {
        return ByteBuffer.wrap(key, 17, 8).getLong();
    }

    static byte[] chunk(long blob, int index) {
        return ByteBuffer.allocate(13).put(CHUNK).putLong(blob).putInt(index).array();
    }

    static boolean isChunkOf(byte[] key, long blob) {
        return key.length == 13 && key[0] == CHUNK && ByteBuffer.wrap(key, 1, 8).getLong() == blob;
    }

    static long chunkBlob(byte[] key) {
        return ByteBuffer.wrap(key, 1, 8).getLong();
    }

    static byte[] pendingBlob(long blob) {
        return withLong(PENDING_BLOB, blob);
    }

    static byte[] blobReferences(long blob) {
        return withLong(BLOB_REFERENCES, blob);
    }

    static byte[] purge(long qid) {
        return withLong(PURGE, qid);
    }

    static byte[] counts(long qid) {
        return withLong(COUNTS, qid);
    }

    /** Reads the 8-byte number after the type byte of a 9-byte key. */
    static long idOf(byte[] key) {
        return ByteBuffer.wrap(key, 1, 8).getLong();
    }

    static byte[] prefix(byte type) {
        return new byte[] {type};
    }

    static byte[] meta(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[1 + n.length];
        k[0] = META;
        System.arraycopy(n, 0, k, 1, n.length);
        return k;
    }

    private static byte[] withLong(byte type, long id) {
        byte[] k = new byte[9];
        k[0] = type;
        LONG.set(k, 1, id);
        return k;
    }
}

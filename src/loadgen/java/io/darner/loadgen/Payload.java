package io.darner.loadgen;

import java.nio.ByteBuffer;

/**
 * The items the load generator sets, all {@link #size()} bytes long, built so a reader can check
 * every byte. An item is a header {@code rrrrrrrr:pppppp:ssssssss:} (run, producer and sequence
 * number in lower-case hex, see {@link ItemId}) followed by a filler: the byte at item offset
 * {@code i} is {@code 'a' + (i + seq) % 26}. Because the filler shifts with the sequence number,
 * data of one item spliced into another shows up as a mismatch, and because 26 divides no power of
 * two, neither does a chunk misplaced within an item.
 */
final class Payload {
    static final int HEADER_SIZE = 25;
    private static final int PERIOD = 26;
    private static final int RUN_AT = 0;
    private static final int PRODUCER_AT = 9;
    private static final int SEQ_AT = 16;
    private static final byte[] HEX = "0123456789abcdef".getBytes();

    private final int size;
    /** {@code a..z} repeated over size + PERIOD bytes; every filler is a slice of it. */
    private final ByteBuffer pattern;

    Payload(int size) {
        if (size < HEADER_SIZE) {
            throw new IllegalArgumentException("item size " + size + " below " + HEADER_SIZE);
        }
        this.size = size;
        // Direct, so a set's data goes to the socket without being copied.
        ByteBuffer p = ByteBuffer.allocateDirect(size + PERIOD);
        for (int i = 0; i < p.capacity(); i++) {
            p.put(i, (byte) ('a' + i % PERIOD));
        }
        this.pattern = p.asReadOnlyBuffer();
    }

    int size() {
        return size;
    }

    /** Writes the header naming {@code item} at the buffer's position. */
    static void writeHeader(ByteBuffer out, ItemId item) {
        putHex(out, item.run(), 8);
        out.put((byte) ':');
        putHex(out, item.producer(), 6);
        out.put((byte) ':');
        putHex(out, item.seq(), 8);
        out.put((byte) ':');
    }

    /** The item a header names, or null if the bytes are not a well-formed header. */
    static ItemId parseHeader(byte[] header) {
        if (header.length != HEADER_SIZE
                || header[PRODUCER_AT - 1] != ':' || header[SEQ_AT - 1] != ':' || header[HEADER_SIZE - 1] != ':') {
            return null;
        }
        long run = hex(header, RUN_AT, 8);
        long producer = hex(header, PRODUCER_AT, 6);
        long seq = hex(header, SEQ_AT, 8);
        if (run < 0 || producer < 0 || seq < 0 || seq > Integer.MAX_VALUE) {
            return null;
        }
        return new ItemId((int) run, (int) producer, (int) seq);
    }

    /**
     * The filler bytes of item {@code seq} from item offset {@code offset} (at least HEADER_SIZE) on:
     * a read-only view of the shared pattern, never a copy.
     */
    ByteBuffer filler(int seq, int offset, int length) {
        return pattern.slice(offset + seq % PERIOD, length);
    }

    private static void putHex(ByteBuffer out, int value, int digits) {
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            out.put(HEX[(value >>> shift) & 0xf]);
        }
    }

    /** The value of {@code digits} lower-case hex digits, or -1 if any is not one. */
    private static long hex(byte[] b, int from, int digits) {
        long value = 0;
        for (int i = from; i < from + digits; i++) {
            int d = b[i] >= '0' && b[i] <= '9' ? b[i] - '0' : b[i] >= 'a' && b[i] <= 'f' ? b[i] - 'a' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }
}

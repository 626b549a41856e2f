package io.darner.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The identity of an item a test stores: the {@code n}th item of one producer in one cycle of the
 * test (a kill cycle of the crash test; 0 where there is one). Its data starts with the id and is filled with bytes derived from it, so that a
 * value read back names its item and can be checked byte for byte. One item in
 * {@value #LARGE_EVERY} is large (100 to 300 KiB, several store chunks).
 */
public record ItemId(int cycle, int producer, int n) {
    public static final int LARGE_EVERY = 64;
    private static final int KIB = 1024;

    @Override
    public String toString() {
        return "c" + cycle + "-p" + producer + "-" + n;
    }

    public boolean isLarge() {
        return n % LARGE_EVERY == LARGE_EVERY - 1;
    }

    public byte[] payload() {
        byte[] header = (this + ":").getBytes(StandardCharsets.US_ASCII);
        int h = hashCode() & 0x7fff_ffff;
        int length = isLarge() ? 100 * KIB + h % (200 * KIB) : header.length + h % 200;
        byte[] data = Arrays.copyOf(header, length);
        for (int i = header.length; i < length; i++) {
            data[i] = (byte) (h + i * 31);
        }
        return data;
    }

    /** The item a value read back belongs to; fails if the value is not exactly that item's data. */
    public static ItemId of(byte[] value) {
        int colon = 0;
        while (colon < value.length && colon < 40 && value[colon] != ':') {
            colon++;
        }
        String[] parts = new String(value, 0, colon, StandardCharsets.US_ASCII).split("-");
        ItemId id;
        try {
            id = new ItemId(Integer.parseInt(parts[0].substring(1)), Integer.parseInt(parts[1].substring(1)),
                    Integer.parseInt(parts[2]));
        } catch (RuntimeException e) {
            throw new AssertionError("a value that names no item: " + printable(value));
        }
        if (!Arrays.equals(id.payload(), value)) {
            throw new AssertionError("the data of " + id + " came back damaged (" + value.length + " bytes)");
        }
        return id;
    }

    private static String printable(byte[] value) {
        return new String(value, 0, Math.min(value.length, 40), StandardCharsets.US_ASCII);
    }
}

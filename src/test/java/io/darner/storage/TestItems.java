package io.darner.storage;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.function.Function;

/** Item data for tests: made reproducibly, and read back whole. */
public final class TestItems {
    private TestItems() {}

    /** {@code length} pseudo-random bytes, the same for the same seed. */
    public static byte[] randomBytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The data of an item: inline, or read from its chunks through {@code chunks}. */
    public static byte[] data(ItemRecord record, Function<ItemRecord, ChunkReader> chunks) {
        if (record.isInline()) {
            return record.data();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(record.length());
        try (ChunkReader reader = chunks.apply(record)) {
            while (reader.hasNext()) {
                out.writeBytes(reader.next());
            }
        }
        return out.toByteArray();
    }
}

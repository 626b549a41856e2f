package io.darner.storage;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The counts a clean stop saves, in the layout {@link Keys} describes. */
class StoredCountsTest {

    @Test
    void countsReadBackAsTheyWereWritten() {
        StoredCounts counts = new StoredCounts(3_000_000_000L, Long.MAX_VALUE - 1, 42);

        assertEquals(counts, StoredCounts.decode(counts.encode()));
    }

    @Test
    void theEncodingIsItemsBytesAndNextSeqBigEndian() {
        byte[] expected = ByteBuffer.allocate(24).putLong(5).putLong(1024).putLong(9).array();

        assertArrayEquals(expected, new StoredCounts(5, 1024, 9).encode());
    }

    @Test
    void countsWithoutTheNextSeqAreNotUsed() {
        byte[] itemsAndBytesOnly = ByteBuffer.allocate(16).putLong(5).putLong(1024).array();

        assertNull(StoredCounts.decode(itemsAndBytesOnly), "the queue is recounted instead");
    }
}

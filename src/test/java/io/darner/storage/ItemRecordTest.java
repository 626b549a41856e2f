package io.darner.storage;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The item record's encodings (see {@link Keys}): byte-exact fixtures, round trips, and damage refused. */
class ItemRecordTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aVersionThreeRecordByteForByte() {
        ItemRecord r = new ItemRecord(0xFFFF_FFFFL, 0, 1_764_000_000_000L, 2, 3, ItemRecord.INLINE,
                new byte[] {'a', 'b', 'c'});
        // version 3 | flags 0xffffffff | expiresAt 0 | enqueuedAt 1764000000000 | deliveries 2 | length 3 |
        // blobId+1 0 (inline) | originLength 0 | data "abc"
        assertEquals("03" + "ffffffff0f" + "00" + "80d0dfb4ab33" + "02" + "03" + "00" + "00" + "616263",
                HEX.formatHex(r.encode()));
        assertEquals(r, withoutArrays(ItemRecord.decode(r.encode(), true), r));
    }

    @Test
    void aLargeDeadLetterByteForByte() {
        ItemRecord r = new ItemRecord(7, 300, 5, 0, 1 << 20, 42, null, "q.v2");
        // version 3 | flags 7 | expiresAt 300 | enqueuedAt 5 | deliveries 0 | length 1 MiB | blobId+1 43 |
        // originLength 4 | "q.v2", no data (it is in chunks)
        assertEquals("03" + "07" + "ac02" + "05" + "00" + "808040" + "2b" + "04" + "712e7632", HEX.formatHex(r.encode()));
        ItemRecord read = ItemRecord.decode(r.encode(), false);
        assertEquals(r, read);
    }

    @Test
    void aboutTwentyFiveBytesLessThanTheFixedWidthRecord() {
        ItemRecord r = ItemRecord.inline(0, 0, System.currentTimeMillis(), new byte[64]);
        assertEquals(64 + 37, OldItemRecords.encode(r).length);
        assertEquals(64 + 13, r.encode().length);
    }

    @Test
    void recordsOfVersionsOneAndTwoStillRead() {
        ItemRecord plain = ItemRecord.inline(7, 9, 5, new byte[] {1, 2, 3});
        byte[] v1 = OldItemRecords.encode(plain);
        assertEquals(1, v1[0]);
        assertEquals("01" + "00000007" + "0000000000000009" + "0000000000000005" + "00000000" + "00000003"
                + "ffffffffffffffff" + "010203", HEX.formatHex(v1));
        assertEquals(plain, withoutArrays(ItemRecord.decode(v1, true), plain));
        ItemRecord dead = ItemRecord.decode(OldItemRecords.encode(plain.withOrigin("jobs")), true);
        assertEquals("jobs", dead.origin());
        assertArrayEquals(plain.data(), dead.data());
        assertNull(ItemRecord.decode(v1, false).data(), "counting skips the data");
    }

    @Test
    void randomRecordsRoundTrip() {
        Random random = new Random(12);
        for (int i = 0; i < 10_000; i++) {
            boolean inline = random.nextBoolean();
            int length = random.nextInt(inline ? 300 : Integer.MAX_VALUE);
            byte[] data = null;
            if (inline) {
                data = new byte[length];
                random.nextBytes(data);
            }
            ItemRecord r = new ItemRecord(random.nextInt() & 0xFFFF_FFFFL, random.nextBoolean() ? 0 : random.nextLong() >>> 1,
                    random.nextLong() >>> random.nextInt(64), random.nextInt(Integer.MAX_VALUE), length,
                    inline ? ItemRecord.INLINE : random.nextLong() >>> 1, data, random.nextBoolean() ? null : "queue" + i);
            ItemRecord read = ItemRecord.decode(r.encode(), true);
            assertEquals(withoutArrays(r, r), withoutArrays(read, r), "record " + i);
            assertArrayEquals(r.data(), read.data(), "record " + i);
            assertEquals(withoutArrays(r, r), withoutArrays(ItemRecord.decode(OldItemRecords.encode(r), true), r), "old " + i);
        }
    }

    @Test
    void aDamagedRecordIsRefusedNotMisread() {
        byte[] good = ItemRecord.inline(1, 0, 1_764_000_000_000L, new byte[] {1, 2, 3}).encode();
        for (int cut = 0; cut < good.length; cut++) {
            byte[] shorter = Arrays.copyOf(good, cut);
            assertThrows(StoreException.class, () -> ItemRecord.decode(shorter, true), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(StoreException.class, () -> ItemRecord.decode(longer, true));
        byte[] endless = new byte[20];
        endless[0] = 3;
        Arrays.fill(endless, 1, endless.length, (byte) 0x80);
        assertThrows(StoreException.class, () -> ItemRecord.decode(endless, true));
        assertThrows(StoreException.class, () -> ItemRecord.decode(new byte[] {9, 0, 0}, true));
    }

    /** {@code r} with the data array of {@code like}, so that records compare by their fields. */
    private static ItemRecord withoutArrays(ItemRecord r, ItemRecord like) {
        if (r.data() != null && like.data() != null && !Arrays.equals(r.data(), like.data())) {
            return r;
        }
        return new ItemRecord(r.flags(), r.expiresAt(), r.enqueuedAt(), r.deliveries(), r.length(), r.blobId(),
                like.data(), r.origin());
    }
}

package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.MemcacheClient.Item;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static io.darner.testing.MemcacheClient.setRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** set and get: what goes in comes out, byte for byte, with its flags, in FIFO order (spec 1, 3). */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class SetGetTest extends ServerTestBase {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @Test
    void itemsComeOutInFifoOrderAndOnlyOnce() throws Exception {
        fill(q, "one", "two", "three", "four", "five");
        assertDrains(q, "one", "two", "three", "four", "five");
    }

    @Test
    void flagsAreStoredAndReturned() throws Exception {
        MemcacheClient c = connect();
        long[] flags = {0, 1, 42, 65_535, 4_294_967_295L};
        for (long f : flags) {
            assertEquals("STORED", c.set(q, f, 0, ascii("flags " + f)));
        }
        for (long f : flags) {
            c.send("get " + q + "\r\n");
            assertItem(c.readItem(), q, f, ascii("flags " + f));
        }
    }

    @Test
    void getsIsAnotherSpellingOfGet() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q, 7, 0, ascii("x")));
        c.send("gets " + q + "\r\n");
        assertItem(c.readItem(), q, 7, ascii("x"));
        c.send("gets " + q + "\r\n");
        assertNull(c.readItem());
    }

    @Test
    void noreplySetIsStoredWithoutAReply() throws Exception {
        MemcacheClient c = connect();
        c.send(setRequest(q, 3, 0, ascii("quiet"), " noreply"));
        c.send("get " + q + "\r\n");
        assertItem(c.readItem(), q, 3, ascii("quiet")); // the first reply is the get's
    }

    @Test
    void syncSetStoresInThePlainQueue() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q + "/sync", 5, 0, ascii("durable")));
        c.send(setRequest(q + "/sync", 0, 0, ascii("durable, quiet"), " noreply"));
        c.send("get " + q + "\r\n");
        assertItem(c.readItem(), q, 5, ascii("durable"));
        assertEquals("durable, quiet", c.get(q));
        assertNull(c.get(q));
    }

    @Test
    void syncSetOfALargeItem() throws Exception {
        byte[] data = randomBytes(MIB + 1, 3);
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q + "/sync", 1, 0, data));
        c.send("get " + q + "\r\n");
        assertItem(c.readItem(), q, 1, data);
    }

    @Test
    void zeroLengthItemIsAnItem() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q, 9, 0, new byte[0]));
        c.send("get " + q + "\r\n");
        assertItem(c.readItem(), q, 9, new byte[0]);
        assertNull(c.get(q));
    }

    @Test
    void binaryDataWithCrlfAndEndInsideIsByteExact() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 256; i++) {
            b.write(i);
        }
        b.writeBytes(ascii("\r\nEND\r\nVALUE x 0 1\r\n\r\n"));
        byte[] data = b.toByteArray();
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q, data));
        assertArrayEquals(data, c.getBytes(q));
    }

    /**
     * Above 64 KiB an item is stored in chunks and streamed back; the sizes straddle the chunk size,
     * up to the largest item the server takes (32 MiB by default).
     */
    @ParameterizedTest
    @ValueSource(ints = {64 * KIB - 1, 64 * KIB, 64 * KIB + 1, 3 * 64 * KIB, MIB, 5 * MIB, 32 * MIB})
    void itemsOfAnySizeAreByteExact(int size) throws Exception {
        String queue = q + "." + size;
        byte[] data = randomBytes(size, size);
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(queue, 11, 0, data));
        c.send("get " + queue + "\r\n");
        assertItem(c.readItem(), queue, 11, data);
        assertNull(c.get(queue));
        assertEquals(0, queueStat(queue, "items"));
        assertEquals(0, queueStat(queue, "bytes"));
    }

    @Test
    void largeAndSmallItemsKeepTheirOrder() throws Exception {
        byte[] big1 = randomBytes(MIB, 1);
        byte[] big2 = randomBytes(200 * KIB, 2);
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q, "small 1"));
        assertEquals("STORED", c.set(q, big1));
        assertEquals("STORED", c.set(q, "small 2"));
        assertEquals("STORED", c.set(q, big2));
        assertEquals("small 1", c.get(q));
        assertArrayEquals(big1, c.getBytes(q));
        assertEquals("small 2", c.get(q));
        assertArrayEquals(big2, c.getBytes(q));
        assertNull(c.get(q));
    }

    @Test
    void multiKeyGetTakesOneItemFromEachQueueThatHasOne() throws Exception {
        String a = q + ".a";
        String empty = q + ".empty";
        String b = q + ".b";
        fill(a, "a1", "a2");
        fill(b, "b1");
        MemcacheClient c = connect();
        c.send("get " + a + " " + empty + " " + b + "\r\n");
        List<Item> items = c.readItems();
        assertEquals(2, items.size());
        assertItem(items.get(0), a, 0, ascii("a1"));
        assertItem(items.get(1), b, 0, ascii("b1"));
        assertDrains(a, "a2");
        assertDrains(b);
        assertDrains(empty);
    }

    @Test
    void multiKeyGetStreamsLargeItemsInKeyOrder() throws Exception {
        String[] queues = {q + ".1", q + ".2", q + ".3"};
        byte[][] data = {randomBytes(MIB, 1), ascii("small"), randomBytes(300 * KIB, 3)};
        MemcacheClient c = connect();
        for (int i = 0; i < queues.length; i++) {
            assertEquals("STORED", c.set(queues[i], i, 0, data[i]));
        }
        c.send("get " + String.join(" ", queues) + "\r\nget " + queues[1] + "\r\n");
        List<Item> items = c.readItems();
        assertEquals(3, items.size());
        for (int i = 0; i < queues.length; i++) {
            assertItem(items.get(i), queues[i], i, data[i]);
        }
        assertNull(c.readItem(), "each multi-get takes one item per queue");
    }

    @Test
    void commandWordsAreCaseInsensitiveQueueNamesAreNot() throws Exception {
        String upper = q.toUpperCase();
        MemcacheClient c = connect();
        c.send("SET " + upper + " 0 0 2\r\nhi\r\n");
        assertEquals("STORED", c.readLine());
        assertNull(c.get(q.toLowerCase()));
        c.send("GeT " + upper + "\r\n");
        assertItem(c.readItem(), upper, 0, ascii("hi"));
    }

    @Test
    void bareLfWorksAndTokensMaySitApartByManySpaces() throws Exception {
        MemcacheClient c = connect();
        c.send("set   " + q + "  0   0  2\nhi\r\nget " + q + "\n");
        assertEquals("STORED", c.readLine());
        assertItem(c.readItem(), q, 0, ascii("hi"));
    }

    @Test
    void itemsWhoseExptimeHasPassedAreNeverHandedOut() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(q, 0, -1, ascii("relative past")));
        assertEquals("STORED", c.set(q, 0, now - 3600, ascii("absolute past")));
        assertEquals("STORED", c.set(q, 0, 3600, ascii("relative future")));
        assertEquals("STORED", c.set(q, 0, now + 3600, ascii("absolute future")));
        assertEquals("relative future", c.get(q));
        assertEquals("absolute future", c.get(q));
        assertNull(c.get(q));
        assertEquals(2, queueStat(q, "expired_items"));
    }

    static void assertItem(Item item, String key, long flags, byte[] data) {
        assertEquals(key, item == null ? null : item.key(), "VALUE expected");
        assertEquals(flags, item.flags(), "flags");
        assertArrayEquals(data, item.data(), "data");
    }
}

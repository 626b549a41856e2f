package io.darner.server;

import io.darner.storage.QueueStore;
import io.darner.testing.MemcacheClient;
import io.darner.testing.MemcacheClient.Item;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.darner.server.SetGetTest.assertItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With {@code darner.value-key=request} (the default) a {@code VALUE} line names the key as it
 * was asked for, options and all, so that clients matching replies to their requests find it.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ValueKeyTest extends ServerTestBase {

    @Test
    void aGetWithOptionsIsAnsweredWithTheKeyAsWritten() throws Exception {
        fill(q, "a", "b", "c", "d");
        MemcacheClient c = connect();
        for (String key : List.of(q + "/t=500/open", q + "/close/t=0/open", q + "/close/open", q + "/peek")) {
            c.send("get " + key + "\r\n");
            assertEquals(key, c.readItem().key());
        }
        assertEquals("END", c.call("get " + q + "/close"));
        c.send("get " + q + "/t=100\r\n");
        assertEquals(q + "/t=100", c.readItem().key());
    }

    @Test
    void aWaitingGetAndALargeItemNameTheirKeyToo() throws Exception {
        MemcacheClient c = connect();
        String key = q + "/t=5000/open";
        c.send("get " + key + "\r\n");
        byte[] large = randomBytes(QueueStore.CHUNK_SIZE * 3 + 7, 1);
        assertEquals("STORED", connect().set(q, 4, 0, large));
        assertItem(c.readItem(), key, 4, large);
    }

    @Test
    void eachValueOfAMultiKeyGetNamesItsOwnKey() throws Exception {
        String a = q + ".a";
        String b = q + ".b";
        fill(a, "a1");
        fill(b, "b1");
        MemcacheClient c = connect();
        c.send("get " + b + " " + q + ".empty " + a + "\r\n");
        List<Item> items = c.readItems();
        assertEquals(List.of(b, a), items.stream().map(Item::key).toList());
    }

    @Test
    void monitorNamesTheQueue() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        c.send("monitor " + q + " 1 1\r\n");
        assertEquals(q, c.readItem().key());
    }
}

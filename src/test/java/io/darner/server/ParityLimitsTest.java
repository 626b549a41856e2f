package io.darner.server;

import io.darner.storage.QueueStore;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.darner.server.ParityProfile.DOTTED;
import static io.darner.server.ParityProfile.LIMITED;
import static io.darner.server.ParityProfile.RING;
import static io.darner.server.ParityProfile.SIZED;
import static io.darner.server.ParityProfile.SMALL_ITEMS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Queue limits (spec 5): max-items, max-size, max-item-size with NOT_STORED, or discard-old-when-full. */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityLimitsTest extends ParityTestBase {

    @Test
    void aFullQueueRefusesTheNextSetUntilAnItemIsTaken() throws Exception {
        fill(LIMITED, "1", "2", "3");
        MemcacheClient c = connect();
        assertEquals("NOT_STORED", c.set(LIMITED, "4"));
        c.send(MemcacheClient.setRequest(LIMITED, 0, 0, ascii("5"), " noreply"));
        assertAlive(c); // the refused noreply set sent nothing: the next reply is the version's
        assertEquals("1", c.get(LIMITED));
        assertEquals("STORED", c.set(LIMITED, "6"));
        assertQueue(LIMITED, "items", 3, "total_items", 4, "discarded", 0);
        assertDrains(LIMITED, "2", "3", "6");
    }

    @Test
    void maxSizeCountsDataBytes() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(SIZED, "12345678"));
        assertEquals("NOT_STORED", c.set(SIZED, "abc"), "8 + 3 bytes exceed max-size 10");
        assertEquals("STORED", c.set(SIZED, "ab"), "8 + 2 bytes fit");
        assertQueue(SIZED, "items", 2, "bytes", 10);
        assertDrains(SIZED, "12345678", "ab");
    }

    @Test
    void maxItemSizeRefusesLargerItemsSmallOrLarge() throws Exception {
        MemcacheClient c = connect();
        assertEquals("NOT_STORED", c.set(SMALL_ITEMS, "123456"));
        assertEquals("NOT_STORED", c.set(SMALL_ITEMS, randomBytes(QueueStore.CHUNK_SIZE + 1, 1)));
        assertEquals("STORED", c.set(SMALL_ITEMS, "12345"));
        assertQueue(SMALL_ITEMS, "items", 1, "bytes", 5, "total_items", 1);
        assertDrains(SMALL_ITEMS, "12345");
    }

    @Test
    void discardOldWhenFullDropsFromTheHeadAndCountsThem() throws Exception {
        fill(RING, "1", "2", "3", "4", "5");
        assertQueue(RING, "items", 3, "discarded", 2, "total_items", 5);
        assertDrains(RING, "3", "4", "5");
    }

    @Test
    void aNameWithADotHasItsOwnQuotedEntry() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(DOTTED, "a"));
        assertEquals("NOT_STORED", c.set(DOTTED, "b"));
        assertEquals("STORED", c.set("dotted", "b"), "the entry is not read as darner.queues.dotted.name");
        assertDrains(DOTTED, "a");
    }
}

package io.darner.server;

import io.darner.storage.QueueStore;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.darner.server.ParityProfile.FAN;
import static io.darner.server.ParityProfile.FAN_LIMITED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fanout (spec 2, 5): {@code a+b} gets a copy of every set on {@code a}; settings, fanout-only, delete, stats. */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityFanoutTest extends ParityTestBase {

    /** Creates the children (a get creates a queue) and returns their names. */
    private List<String> createChildren(String parent, String... children) throws Exception {
        MemcacheClient c = connect();
        List<String> names = Arrays.stream(children).map(child -> parent + "+" + child).toList();
        for (String name : names) {
            assertNull(c.get(name));
        }
        return names;
    }

    private void assertTakes(String queue, long flags, byte[] data) throws Exception {
        MemcacheClient.Item item = connect().send("get " + queue + "\r\n").readItem();
        assertEquals(flags, item.flags(), queue);
        assertArrayEquals(data, item.data(), queue);
    }

    @Test
    void everyChildGetsAByteExactCopyOfSmallAndLargeItems() throws Exception {
        List<String> children = createChildren(q, "a", "b");
        byte[] small = ascii("hello");
        byte[] large = randomBytes(QueueStore.CHUNK_SIZE + 1000, 3);
        byte[] chunkMultiple = randomBytes(2 * QueueStore.CHUNK_SIZE, 4);
        MemcacheClient producer = connect();
        assertEquals("STORED", producer.set(q, 5, 0, small));
        assertEquals("STORED", producer.set(q, 6, 0, large));
        assertEquals("STORED", producer.set(q, 7, 0, chunkMultiple));

        for (String queue : List.of(q, children.get(0), children.get(1))) {
            assertTakes(queue, 5, small);
            assertTakes(queue, 6, large);
            assertTakes(queue, 7, chunkMultiple);
            assertDrains(queue);
        }
    }

    @Test
    void onlyChildrenThatExistGetCopies() throws Exception {
        fill(q, "before");
        String child = createChildren(q, "late").get(0);
        fill(q, "after");
        assertDrains(child, "after");
        assertDrains(q, "before", "after");
    }

    @Test
    void childrenInheritTheParentsEntry() throws Exception {
        String child = createChildren(FAN_LIMITED, "c").get(0);
        fill(FAN_LIMITED, "x1", "x2");
        assertDrains(FAN_LIMITED, "x1", "x2");
        fill(FAN_LIMITED, "x3"); // the parent has room again; its child is full at max-items=2
        assertEquals("NOT_STORED", connect().set(child, "direct"));
        assertDrains(child, "x1", "x2");
        assertDrains(FAN_LIMITED, "x3");
    }

    @Test
    void aFanoutOnlyParentStoresNothingItselfAndItsChildrenAreOrdinaryQueues() throws Exception {
        List<String> children = createChildren(FAN, "a", "b");
        byte[] large = randomBytes(QueueStore.CHUNK_SIZE * 3 / 2, 5);
        MemcacheClient producer = connect();
        assertEquals("STORED", producer.set(FAN, "event"));
        assertEquals("STORED", producer.set(FAN, large));
        assertEquals("STORED", producer.set(children.get(0), "direct"), "a child is not fanout-only");

        assertQueue(FAN, "items", 0, "total_items", 0, "bytes", 0);
        assertDrains(FAN);
        assertTakes(children.get(0), 0, ascii("event"));
        assertTakes(children.get(0), 0, large);
        assertDrains(children.get(0), "direct");
        assertTakes(children.get(1), 0, ascii("event"));
        assertTakes(children.get(1), 0, large);
        assertDrains(children.get(1));
    }

    @Test
    void deletingAChildDetachesIt() throws Exception {
        List<String> children = createChildren(q, "a", "b");
        assertEquals("DELETED", connect().call("delete " + children.get(0)));
        fill(q, "x");
        assertFalse(queueExists(children.get(0)), "a set on the parent does not bring the child back");
        assertDrains(children.get(1), "x");
        assertTrue(dumpStats(q).contains("  children=" + children.get(1)));
    }

    @Test
    void statsListTheChildrenOfAParentSortedAndLast() throws Exception {
        createChildren(q, "b", "a");
        assertDrains(q); // the parent exists too, empty
        String list = q + "+a," + q + "+b";
        assertEquals(list, stats().get("queue_" + q + "_children"));
        List<String> dump = dumpStats(q);
        assertEquals("  children=" + list, dump.get(dump.size() - 2), String.join("\n", dump));
        assertFalse(String.join("\n", dumpStats(q + "+a")).contains("children"), "a child has no children field");
    }
}

package io.darner.queue;

import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreContents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Fanout copies in the store: each child owns the chunks of a large item, nothing is left behind, and
 * a child that syncs always makes the sets on its parent wait for the fsync.
 */
class FanoutStorageTest {
    private static final byte[] LARGE = randomBytes(2 * QueueStore.CHUNK_SIZE + 5, 7);

    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @BeforeEach
    void start() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queues.fan.fanout-only", "true",
                "darner.queues.\"events+audit\".sync", "always"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void consumingEveryCopyLeavesNoChunks() {
        createChildren("events", "a", "b");
        fixture.put("events", LARGE);

        for (String queue : List.of("events+a", "events", "events+b")) {
            assertOnlyItemIs(LARGE, queue);
        }
        assertStoreHoldsNoItemData();
    }

    @Test
    void aFanoutOnlyParentKeepsNoChunksOfItsOwn() {
        createChildren("fan", "a", "b");
        fixture.put("fan", LARGE);

        assertEquals(0, fixture.repo().find("fan").stats(List.of()).items());
        assertOnlyItemIs(LARGE, "fan+a");
        assertOnlyItemIs(LARGE, "fan+b");
        assertStoreHoldsNoItemData();
    }

    @Test
    void aFanoutOnlyParentWithoutChildrenRefusesTheItem() {
        ItemRecord item = ItemRecord.inline(0, 0, System.currentTimeMillis(), new byte[] {1});
        assertEquals(PutResult.NOT_STORED, fixture.repo().put("fan", item, null));
        createChildren("fan", "a");
        assertEquals(PutResult.STORED, fixture.repo().put("fan", item, null));
    }

    @Test
    void aSetOnAParentIsAcknowledgedAfterTheFsyncWhenAChildSyncsAlways() {
        assertNull(fixture.repo().durability("events", false), "no child syncs always yet");
        createChildren("events", "search");
        assertNull(fixture.repo().durability("events", false));
        createChildren("events", "audit");
        assertNotNull(fixture.repo().durability("events", false), "events+audit gets a copy of every set on events");
        assertNull(fixture.repo().durability("events+search", false));
    }

    private void createChildren(String parent, String... children) {
        for (String child : children) {
            fixture.repo().getOrCreate(parent + "+" + child);
        }
    }

    private void assertOnlyItemIs(byte[] expected, String queue) {
        List<byte[]> drained = fixture.drainData(queue);
        assertEquals(1, drained.size(), queue);
        assertArrayEquals(expected, drained.get(0), queue);
    }

    private void assertStoreHoldsNoItemData() {
        StoreContents contents = fixture.stopAndInspect();
        assertEquals(0, contents.items(), "item records");
        assertEquals(0, contents.chunks(), "chunks");
        assertEquals(0, contents.pendingBlobs(), "pending blobs");
    }
}

package io.darner.storage;

import java.nio.file.Path;

/** A {@link QueueStore} in a test directory, opened again after a clean or a killed stop. */
final class StoreFixture implements AutoCloseable {
    final FaultInjector faults = new FaultInjector();
    private final Path dir;
    private QueueStore store;

    StoreFixture(Path dir) {
        this.dir = dir;
        this.store = faults.open(dir);
    }

    QueueStore store() {
        return store;
    }

    Path dir() {
        return dir;
    }

    void reopen(Stop how) {
        stop(how);
        store = faults.open(dir);
    }

    /** The queue of that name as the last open found it. */
    StoredQueue recovered(String name) {
        return store.recoveredQueues().stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("queue " + name + " not recovered"));
    }

    /** Whether the running store holds {@code key} (see {@link Keys}). */
    boolean holds(byte[] key) {
        return faults.lastOpened().get(key) != null;
    }

    /** Stops cleanly and reads what the store holds on disk. */
    StoreContents stopAndInspect() {
        stop(Stop.CLEAN);
        return StoreContents.of(dir);
    }

    @Override
    public void close() {
        stop(Stop.CLEAN);
    }

    private void stop(Stop how) {
        if (store == null) {
            return;
        }
        if (how == Stop.KILLED) {
            faults.closeAsIfKilled(store::close);
        } else {
            store.close();
        }
        store = null;
    }

    // ---- items

    /** Stores {@code data} as the queue does: inline when small, else streamed into chunks first. */
    ItemRecord append(long qid, long seq, byte[] data) {
        if (data.length <= QueueStore.CHUNK_SIZE) {
            ItemRecord record = ItemRecord.inline(0, 0, 0, data);
            store.append(qid, seq, record, null);
            return record;
        }
        BlobWriter blob = store.newBlob();
        blob.write(data, 0, data.length);
        ItemRecord record = new ItemRecord(0, 0, 0, 0, data.length, blob.blobId(), null);
        store.append(qid, seq, record, blob);
        return record;
    }

    /** The data of an item, read from its chunks when it is large. */
    byte[] data(ItemRecord record) {
        return TestItems.data(record, r -> store.chunks(r, false));
    }

    static int chunksOf(int length) {
        return (length + QueueStore.CHUNK_SIZE - 1) / QueueStore.CHUNK_SIZE;
    }
}

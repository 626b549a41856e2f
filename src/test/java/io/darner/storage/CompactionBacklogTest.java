package io.darner.storage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link QueueStore#behindOnCompaction()}, which large items wait on: false on a store at rest,
 * true while writers outrun LevelDB's compaction, false again once it has caught up.
 */
class CompactionBacklogTest {
    @TempDir
    Path dir;

    @Test
    void saysWhenWritersOutrunCompactionAndWhenItHasCaughtUp() throws Exception {
        try (QueueStore store = QueueStore.open(dir, FaultInjector.CACHE_BYTES, TestEngine.chosen())) {
            assertFalse(store.behindOnCompaction(), "an empty store");
            AtomicBoolean behind = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                long qid = store.createQueue("q" + w);
                byte[] data = TestItems.randomBytes(QueueStore.CHUNK_SIZE * 16, w); // does not compress
                Thread writer = new Thread(() -> {
                    long deadline = System.currentTimeMillis() + 60_000;
                    for (int seq = 0; !behind.get() && System.currentTimeMillis() < deadline; seq++) {
                        BlobWriter blob = store.newBlob();
                        blob.write(data, 0, data.length);
                        store.append(qid, seq, new ItemRecord(0, 0, 0, 0, data.length, blob.blobId(), null), blob);
                        if (store.behindOnCompaction()) {
                            behind.set(true);
                        }
                    }
                });
                writer.start();
                writers.add(writer);
            }
            for (Thread t : writers) {
                t.join();
            }
            assumeTrue(behind.get(), "this machine's compaction kept up with three writers for a minute");
            Awaitility.await("caught up once the writes stopped").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(50)).until(() -> !store.behindOnCompaction());
        }
    }
}

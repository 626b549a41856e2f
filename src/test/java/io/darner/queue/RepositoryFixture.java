package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.storage.BlobWriter;
import io.darner.storage.FaultInjector;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreContents;
import io.darner.storage.Stop;
import io.darner.storage.TestItems;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link QueueRepository} over a store in a test directory, as the server builds it, restarted
 * the two ways a server stops: cleanly, or killed. Its store's writes fail on demand through
 * {@link #faults}.
 */
final class RepositoryFixture implements AutoCloseable {
    final FaultInjector faults = new FaultInjector();
    private final Path dir;
    private final DarnerConfig config;
    private QueueRepository repo;

    RepositoryFixture(Path dir) {
        this(dir, false);
    }

    /** With settings of its own ({@code darner.max-queues} -> {@code 3}, ...). */
    RepositoryFixture(Path dir, java.util.Map<String, String> settings) {
        this.dir = dir;
        this.config = config(dir, settings);
        this.repo = new QueueRepository(config, faults.open(dir, false));
    }

    /** With {@code repair}, the store is opened as with {@code darner.repair-on-start=true}. */
    RepositoryFixture(Path dir, boolean repair) {
        this.dir = dir;
        this.config = defaultConfig(dir);
        this.repo = new QueueRepository(config, faults.open(dir, repair));
    }

    /** The server's configuration with every default, as the real config machinery reads it. */
    private static DarnerConfig defaultConfig(Path dir) {
        return config(dir, java.util.Map.of());
    }

    private static DarnerConfig config(Path dir, java.util.Map<String, String> settings) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder();
        settings.forEach(builder::withDefaultValue);
        return builder
                .withMapping(DarnerConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValue("darner.data-dir", dir.toString())
                .build()
                .getConfigMapping(DarnerConfig.class);
    }

    QueueRepository repo() {
        return repo;
    }

    /** Stops the way given, then starts again on the same directory. */
    void restart(Stop how) {
        if (how == Stop.KILLED) {
            faults.closeAsIfKilled(repo::close);
            repo = null;
        }
        stop();
        start();
    }

    /** Stops cleanly and reads what the store holds on disk. */
    StoreContents stopAndInspect() {
        stop();
        return StoreContents.of(dir);
    }

    @Override
    public void close() {
        stop();
    }

    private void start() {
        repo = new QueueRepository(config, faults.open(dir));
    }

    private void stop() {
        if (repo != null) {
            repo.close();
            repo = null;
        }
    }

    // ---- items

    void put(String queue, String... texts) {
        for (String text : texts) {
            put(queue, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Stores {@code data} as a set does: streamed into chunks first when it is large. */
    void put(String queue, byte[] data) {
        long now = System.currentTimeMillis();
        if (data.length <= QueueStore.CHUNK_SIZE) {
            repo.put(queue, ItemRecord.inline(0, 0, now, data), null);
            return;
        }
        BlobWriter blob = repo.newBlob();
        blob.write(data, 0, data.length);
        repo.put(queue, new ItemRecord(0, 0, now, 0, data.length, blob.blobId(), null), blob);
    }

    /** Takes the head item of the queue (creating the queue), or null when it is empty. */
    Delivery take(String queue, boolean open) {
        return repo.getOrCreate(queue).take(open);
    }

    /** Takes and confirms every item of the queue: their data, in order. */
    List<byte[]> drainData(String queue) {
        List<byte[]> out = new ArrayList<>();
        Queue q = repo.getOrCreate(queue);
        for (Delivery d = q.take(false); d != null; d = q.take(false)) {
            out.add(TestItems.data(d.record(), r -> repo.chunks(r, false)));
            q.confirm(d);
        }
        return out;
    }

    /** As {@link #drainData}, as text. */
    List<String> drain(String queue) {
        return drainData(queue).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    static String text(Delivery d) {
        return new String(d.record().data(), StandardCharsets.UTF_8);
    }
}

package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.storage.FaultInjector;
import io.darner.storage.ItemRecord;
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
        this.dir = dir;
        this.config = defaultConfig(dir);
        start();
    }

    /** The server's configuration with every default, as the real config machinery reads it. */
    private static DarnerConfig defaultConfig(Path dir) {
        return new SmallRyeConfigBuilder()
                .withMapping(DarnerConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
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

    static ItemRecord textItem(String text) {
        return ItemRecord.inline(0, 0, System.currentTimeMillis(), text.getBytes(StandardCharsets.UTF_8));
    }

    void put(String queue, String... texts) {
        for (String text : texts) {
            repo.put(queue, textItem(text), null);
        }
    }

    /** Takes the head item of the queue (creating the queue) as text, or null when it is empty. */
    Delivery take(String queue, boolean open) {
        return repo.getOrCreate(queue).take(open);
    }

    /** Takes and confirms every item of the queue, in order, as text. */
    List<String> drain(String queue) {
        List<String> out = new ArrayList<>();
        Queue q = repo.getOrCreate(queue);
        for (Delivery d = q.take(false); d != null; d = q.take(false)) {
            out.add(text(d));
            q.confirm(d);
        }
        return out;
    }

    static String text(Delivery d) {
        return new String(d.record().data(), StandardCharsets.UTF_8);
    }

    /** The data of an item, read from its chunks when it is large. */
    byte[] data(ItemRecord record) {
        return TestItems.data(record, r -> repo.chunks(r, false));
    }
}

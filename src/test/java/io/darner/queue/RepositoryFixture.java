package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.storage.FaultInjector;
import io.darner.storage.StoreContents;
import io.darner.storage.Stop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import io.darner.testing.ManualClock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link QueueRepository} over a store in a test directory, as the server builds it, restarted
 * the two ways a server stops: cleanly, or killed. Its store's writes fail on demand through
 * {@link #faults}.
 */
final class RepositoryFixture implements AutoCloseable {
    final FaultInjector faults = new FaultInjector();
    /** The time the repository goes by: it moves only when the test moves it, and across restarts. */
    final ManualClock clock = new ManualClock();
    private final Path dir;
    private final DarnerConfig config;
    private QueueRepository repo;

    RepositoryFixture(Path dir) {
        this(dir, Map.of());
    }

    /** Over a configuration of every default but {@code settings} ({@code darner.*} keys). */
    RepositoryFixture(Path dir, Map<String, String> settings) {
        this.dir = dir;
        this.config = TestConfig.darner(dir, settings);
        start();
    }

    /** With {@code repair}, the store is opened as with {@code darner.repair-on-start=true}. */
    RepositoryFixture(Path dir, boolean repair) {
        this.dir = dir;
        this.config = TestConfig.darner(dir, Map.of());
        this.repo = new QueueRepository(config, faults.open(dir, repair), clock);
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
        repo = new QueueRepository(config, faults.open(dir), clock);
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

    /** Stores {@code data} as a set does, through the queue layer's intake. */
    void put(String queue, byte[] data) {
        ItemIntake item = repo.beginItem(data.length);
        item.write(data, 0, data.length);
        item.finish(queue, 0, 0);
    }

    /** Stores each text as a set with {@code /delay=<delayMs>} does. */
    void putDelayed(String queue, long delayMs, String... texts) {
        for (String text : texts) {
            putDelayed(queue, delayMs, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    PutResult putDelayed(String queue, long delayMs, byte[] data) {
        ItemIntake item = repo.beginItem(data.length);
        item.write(data, 0, data.length);
        return item.finish(queue, 0, 0, delayMs);
    }

    /** Moves the clock on, then lets the queues act on what fell due (as their timer would, on time). */
    void advance(long ms) {
        clock.advanceMillis(ms);
        repo.releaseDue();
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
            out.add(read(d));
            q.confirm(d);
        }
        return out;
    }

    /** An item's data, read the one way readers read it. */
    byte[] read(Item item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ItemBytes bytes = repo.read(item, false)) {
            while (bytes.hasNext()) {
                out.writeBytes(bytes.next());
            }
        }
        return out.toByteArray();
    }

    /** As {@link #drainData}, as text. */
    List<String> drain(String queue) {
        return drainData(queue).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    static String text(Delivery d) {
        return new String(d.record().data(), StandardCharsets.UTF_8);
    }
}

package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.config.SyncPolicy;
import io.darner.storage.BlobWriter;
import io.darner.storage.ChunkReader;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoredQueue;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The queue repository: every queue by name, over the one LevelDB store. The TCP listener and the
 * admin API both call it, so both see the same queues. Protocol-neutral.
 */
@Singleton
public class QueueRepository {
    private static final Logger LOG = Logger.getLogger(QueueRepository.class);
    private static final String STATUS_SETTING = "status";

    private final QueueStore store;
    private final SyncPolicy syncPolicy;
    private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
    private final RepositoryCounters counters = new RepositoryCounters();
    private final ScheduledExecutorService periodicSync;
    private volatile ServerStatus status;

    public QueueRepository(DarnerConfig config) {
        this.syncPolicy = SyncPolicy.parse("darner.sync", config.sync());
        this.store = QueueStore.open(config.dataDir(), config.storeCache().asLongValue());
        for (StoredQueue sq : store.recoveredQueues()) {
            queues.put(sq.name(), new Queue(store, sq));
        }
        String saved = store.readSetting(STATUS_SETTING);
        this.status = saved == null || ServerStatus.parse(saved) == null ? ServerStatus.UP : ServerStatus.parse(saved);
        this.periodicSync = syncPolicy.periodMs() > 0 ? startPeriodicSync(syncPolicy.periodMs()) : null;
    }

    /** The queue of that name, or null: looking does not create it. */
    public Queue find(String name) {
        return queues.get(name);
    }

    /** The queue of that name, created (and recorded in the store) when new. */
    public Queue getOrCreate(String name) {
        Queue q = queues.get(name);
        if (q != null) {
            return q;
        }
        return queues.computeIfAbsent(name, n -> {
            counters.queueCreates.increment();
            return new Queue(n, store, store.createQueue(n));
        });
    }

    /** Appends an item to the named queue, creating the queue if needed. */
    public void put(String name, ItemRecord record, BlobWriter blob) {
        while (true) {
            Queue q = getOrCreate(name);
            try {
                q.put(record, blob);
                counters.totalItems.increment();
                return;
            } catch (QueueDeletedException raced) {
                queues.remove(name, q);
            }
        }
    }

    /** Starts receiving a large item. */
    public BlobWriter newBlob() {
        return store.newBlob();
    }

    /** Reads a large item's data chunk by chunk; {@code consistent} for an item not taken (a peek). */
    public ChunkReader chunks(ItemRecord record, boolean consistent) {
        return store.chunks(record, consistent);
    }

    /** Deletes a queue, its items and its stats. False if there was no such queue. */
    public boolean delete(String name) {
        Queue q = queues.remove(name);
        if (q == null) {
            return false;
        }
        q.delete();
        counters.queueDeletes.increment();
        return true;
    }

    /** Removes every item of the queue; an unknown queue is not created. */
    public void flush(String name) {
        Queue q = queues.get(name);
        if (q != null) {
            q.flush();
        }
    }

    public void flushAll() {
        queues.values().forEach(Queue::flush);
    }

    /**
     * Completes when the writes made so far are durable, if this write must wait for that: when the
     * client asked ({@code /sync}) or the server syncs always. Null when the write need not wait.
     */
    public CompletableFuture<Void> durability(boolean requested) {
        return requested || syncPolicy.always() ? store.sync() : null;
    }

    /** Whether confirmed reads must be made durable before the reply. */
    public boolean syncsAlways() {
        return syncPolicy.always();
    }

    public ServerStatus status() {
        return status;
    }

    /** Changes the server status and keeps it across restarts. */
    public void setStatus(ServerStatus newStatus) {
        store.writeSetting(STATUS_SETTING, newStatus.word());
        status = newStatus;
    }

    public RepositoryCounters counters() {
        return counters;
    }

    public int queueCount() {
        return queues.size();
    }

    /** Every queue's stats, sorted by name. */
    public List<QueueStats> stats() {
        List<Queue> sorted = new ArrayList<>(queues.values());
        sorted.sort(Comparator.comparing(Queue::name));
        List<QueueStats> out = new ArrayList<>(sorted.size());
        sorted.forEach(q -> out.add(q.stats()));
        return out;
    }

    public boolean isStoreOpen() {
        return !store.isClosed();
    }

    @PreDestroy
    void close() {
        if (periodicSync != null) {
            periodicSync.shutdownNow();
        }
        Map<Long, long[]> counts = new HashMap<>();
        queues.values().forEach(q -> counts.put(q.qid(), q.storedCounts()));
        store.close(counts);
        LOG.info("store closed");
    }

    private ScheduledExecutorService startPeriodicSync(long periodMs) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "darner-periodic-sync");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> store.sync(), periodMs, periodMs, TimeUnit.MILLISECONDS);
        return s;
    }
}

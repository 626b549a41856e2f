package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.config.StoreEngineSetting;
import io.darner.storage.BlobWriter;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreEngine;
import io.darner.storage.StoreException;
import io.darner.storage.StoreFailures;
import io.darner.storage.StoredCounts;
import io.darner.storage.StoredQueue;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.InstantSource;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue repository: every queue by name, over the one LevelDB store. The TCP listener and the
 * admin API both call it, so both see the same queues. Protocol-neutral.
 */
@Singleton
public class QueueRepository {
    private static final Logger LOG = Logger.getLogger(QueueRepository.class);
    private static final String STATUS_SETTING = "status";

    /** How often expired items are looked for, and how many items from each queue's head. */
    private static final long SWEEP_PERIOD_MS = 1000;
    private static final long SWEEP_ITEMS = 1_000;
    /** The logsize stat is an estimate refreshed in the background, at most this many queues a second. */
    private static final int LOG_SIZE_REFRESHES_PER_SWEEP = 500;
    private static final long LOG_SIZE_MAX_AGE_MS = 10_000;

    private final QueueStore store;
    private final QueuePolicies policies;
    private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
    private final FanoutChildren children = new FanoutChildren();
    private final RepositoryCounters counters = new RepositoryCounters();
    /** Heap the queues' read-ahead may take, all queues together. */
    private final AtomicLong readAheadBudget = ReadAhead.newBudget();
    private final ScheduledExecutorService background;
    private final InstantSource clock;
    private final Queue.Context queueContext;
    private volatile ServerStatus status;
    /** darner.max-queues: every queue costs heap (about half a KiB empty), so a client must not make them without end. */
    private final int maxQueues;

    @Inject
    public QueueRepository(DarnerConfig config, InstantSource clock) {
        this(config, QueueStore.open(config.dataDir(), config.storeCache().asLongValue(), config.repairOnStart(),
                storeEngine(config)), clock);
    }

    /** The LevelDB implementation darner.store-engine asks for. */
    private static StoreEngine storeEngine(DarnerConfig config) {
        return switch (StoreEngineSetting.parse("darner.store-engine", config.storeEngine())) {
            case AUTO -> StoreEngine.auto();
            case NATIVE -> StoreEngine.nativeOnly();
            case JAVA -> StoreEngine.javaOnly();
        };
    }

    /** Over a store opened already: tests pass one whose writes they can make fail, and a clock they move. */
    QueueRepository(DarnerConfig config, QueueStore store, InstantSource clock) {
        this.policies = new QueuePolicies(config);
        this.store = store;
        this.clock = clock;
        this.queueContext = new Queue.Context(store, clock, this::getOrCreate, readAheadBudget);
        this.maxQueues = config.maxQueues();
        for (StoredQueue sq : store.recoveredQueues()) {
            queues.put(sq.name(), new Queue(sq, policies.forQueue(sq.name()), queueContext));
            children.added(sq.name());
        }
        String saved = store.readSetting(STATUS_SETTING);
        this.status = saved == null || ServerStatus.parse(saved) == null ? ServerStatus.UP : ServerStatus.parse(saved);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "darner-sweeper");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(this::sweep, SWEEP_PERIOD_MS, SWEEP_PERIOD_MS, TimeUnit.MILLISECONDS);
        long syncPeriod = policies.syncPeriodMs();
        if (syncPeriod > 0) {
            background.scheduleWithFixedDelay(store::sync, syncPeriod, syncPeriod, TimeUnit.MILLISECONDS);
        }
    }

    /** The LevelDB implementation the store runs on, and why. */
    public StoreEngine storeEngine() {
        return store.engine();
    }

    /** The queue of that name, or null: looking does not create it. */
    public Queue find(String name) {
        return queues.get(name);
    }

    /**
     * The queue of that name, created (and recorded in the store) when new; a new one past
     * darner.max-queues is refused with {@link TooManyQueuesException}.
     */
    public Queue getOrCreate(String name) {
        Queue q = queues.get(name);
        if (q != null) {
            return q;
        }
        Queue created = queues.computeIfAbsent(name, n -> {
            if (queues.size() >= maxQueues) {
                throw new TooManyQueuesException(maxQueues);
            }
            counters.queueCreates.increment();
            return new Queue(n, store.createQueue(n), policies.forQueue(n), queueContext);
        });
        children.added(name);
        return created;
    }

    /**
     * Appends an item to the named queue (created if needed) and to each of its fanout children; a
     * fanout-only parent stores nothing itself. The copies of a large item share its chunks. From
     * here the repository owns {@code blob}: whatever is not stored is removed. The result is the
     * parent's; for a fanout-only parent, STORED when a child stored it.
     */
    PutResult put(String name, ItemRecord record, BlobWriter blob) {
        Queue parent = getOrCreate(name);
        List<String> childNames = children.of(name);
        if (childNames.isEmpty() && !parent.policy().fanoutOnly()) {
            return putAlone(name, record, blob); // the common case, without the fanout's bookkeeping
        }
        List<Queue> targets = new ArrayList<>();
        for (String child : childNames) {
            Queue q = queues.get(child);
            if (q != null) {
                targets.add(q);
            }
        }
        boolean parentStores = !parent.policy().fanoutOnly();
        if (parentStores) {
            targets.add(parent);
        }
        boolean shared = blob != null && targets.size() > 1;
        if (shared) {
            store.shareBlob(blob.blobId(), targets.size());
        }
        int stored = 0;
        PutResult parentResult = PutResult.NOT_STORED;
        StoreException parentFailure = null;
        for (Queue q : targets) {
            PutResult result;
            try {
                result = q == parent ? putRetrying(name, record, blob) : putOrNotStored(q, record, blob);
            } catch (StoreException e) {
                if (q != parent) {
                    throw e;
                }
                parentFailure = e;
                result = PutResult.NOT_STORED;
            }
            if (result == PutResult.STORED) {
                stored++;
                counters.totalItems.increment();
            } else if (shared) {
                store.releaseBlob(record);
            }
            if (q == parent) {
                parentResult = result;
            }
        }
        if (blob != null && !shared && stored == 0) {
            blob.abort();
        }
        if (parentFailure != null) {
            throw parentFailure;
        }
        return parentStores ? parentResult : (stored > 0 ? PutResult.STORED : PutResult.NOT_STORED);
    }

    /** {@link #put} into a queue without fanout children: the blob, if any, goes with the item or is removed. */
    private PutResult putAlone(String name, ItemRecord record, BlobWriter blob) {
        PutResult result;
        try {
            result = putRetrying(name, record, blob);
        } catch (StoreException e) {
            if (blob != null) {
                blob.abort();
            }
            throw e;
        }
        if (result == PutResult.STORED) {
            counters.totalItems.increment();
        } else if (blob != null) {
            blob.abort();
        }
        return result;
    }

    /** Puts into the named queue, again into a new one if it was deleted meanwhile. */
    private PutResult putRetrying(String name, ItemRecord record, BlobWriter blob) {
        while (true) {
            Queue q = getOrCreate(name);
            try {
                return q.put(record, blob);
            } catch (QueueDeletedException raced) {
                queues.remove(name, q);
            }
        }
    }

    /** Puts into a fanout child; a child deleted meanwhile simply does not get the item. */
    private static PutResult putOrNotStored(Queue child, ItemRecord record, BlobWriter blob) {
        try {
            return child.put(record, blob);
        } catch (QueueDeletedException gone) {
            return PutResult.NOT_STORED;
        }
    }

    /**
     * Begins an item of {@code length} bytes, the one way items come in: write its data, then
     * finish it into a queue or abort it. A large item (over {@link ItemIntake#SMALL_MAX}) whose
     * length is not known yet may begin with any length over that: its length is what is written.
     */
    public ItemIntake beginItem(int length) {
        return new ItemIntake(this, length, ItemIntake.isLarge(length) ? store.newBlob() : null);
    }

    /** Whether large items should wait: the store is behind on compaction (see {@link QueueStore#behindOnCompaction}). */
    public boolean storeBehind() {
        return store.behindOnCompaction();
    }

    /**
     * The bytes of an item, the one way they are read; {@code consistent} for an item not taken (a
     * peek), which another reader may take and remove meanwhile.
     */
    public ItemBytes read(Item item, boolean consistent) {
        return item.isLarge() ? new ItemBytes(null, store.chunks(item.record(), consistent))
                : new ItemBytes(item.smallData(), null);
    }

    /** The time the queues go by (expiry, ages, leases). */
    public InstantSource clock() {
        return clock;
    }

    /** Deletes a queue, its items and its stats. False if there was no such queue. */
    public boolean delete(String name) {
        Queue q = queues.get(name);
        // deleted in the store before it is forgotten: if the store refuses, the queue stays as it was
        if (q == null || !q.delete()) {
            return false;
        }
        queues.remove(name, q);
        children.removed(name);
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
     * Completes when the writes made so far are durable, if a write to this queue must wait for
     * that: when the client asked ({@code /sync}), or the queue or one of its fanout children (which
     * a set copies to) syncs always. Null when it need not.
     */
    public CompletableFuture<Void> durability(String queue, boolean requested) {
        if (requested || syncsAlways(queue)) {
            return store.sync();
        }
        for (String child : children.of(queue)) { // a loop, not a stream: this runs for every set
            if (syncsAlways(child)) {
                return store.sync();
            }
        }
        return null;
    }

    /** Whether writes to the queue (sets, confirms) are made durable before the reply. */
    public boolean syncsAlways(String queue) {
        Queue q = queues.get(queue);
        return (q == null ? policies.forQueue(queue) : q.policy()).sync().always();
    }

    /** Expires items now: in one queue ({@code flush_expired}); returns how many. */
    public long flushExpired(String name) {
        Queue q = queues.get(name);
        return q == null ? 0 : q.expire(Long.MAX_VALUE);
    }

    /** Expires items now in every queue ({@code flush_all_expired}); returns how many. */
    public long flushAllExpired() {
        long n = 0;
        for (Queue q : queues.values()) {
            n += q.expire(Long.MAX_VALUE);
        }
        return n;
    }

    /**
     * Every second: expired items near each queue's head, and some of the queues' disk-size
     * estimates. One queue that cannot be swept (a failing disk, a damaged block) does not stop the
     * sweep of the others.
     */
    private void sweep() {
        long now = clock.millis();
        int refreshed = 0;
        for (Queue q : queues.values()) {
            try {
                q.expire(SWEEP_ITEMS);
            } catch (RuntimeException e) {
                // a damaged queue logged it already; a failing write is counted by the store's failures
                LOG.debugf("expiry sweep of queue %s failed: %s", q.name(), e.getMessage());
            }
            if (refreshed < LOG_SIZE_REFRESHES_PER_SWEEP && q.refreshLogSize(now, LOG_SIZE_MAX_AGE_MS)) {
                refreshed++;
            }
        }
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
        sorted.forEach(q -> out.add(q.stats(children.of(q.name()))));
        return out;
    }

    /** The queues that could not be read when the store was opened (they serve nothing), sorted by name. */
    public List<String> damagedQueues() {
        List<String> damaged = new ArrayList<>();
        queues.values().forEach(q -> {
            if (q.damage() != null) {
                damaged.add(q.name());
            }
        });
        damaged.sort(Comparator.naturalOrder());
        return damaged;
    }

    /** The store's last write failure, for readiness, or null when no write failed. */
    public StoreWriteFailure lastStoreWriteFailure() {
        StoreFailures failures = store.failures();
        String reason = failures.lastWriteFailure();
        return reason == null ? null : new StoreWriteFailure(reason, failures.lastWriteFailureAtMs());
    }

    /** Files the store keeps open at most: descriptors the listener must leave it. */
    public static int storeOpenFiles() {
        return QueueStore.MAX_OPEN_FILES;
    }

    /** Every queue's name, sorted (cheaper than {@link #stats()} when only a page is wanted). */
    public List<String> names() {
        List<String> names = new ArrayList<>(queues.keySet());
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** One queue's stats, or null when there is no such queue. */
    public QueueStats stats(String name) {
        Queue q = queues.get(name);
        return q == null ? null : q.stats(children.of(name));
    }

    /** Heap the queues' read-ahead may still take (for tests: all of it once the queues are drained). */
    long readAheadBytesFree() {
        return readAheadBudget.get();
    }

    public boolean isStoreOpen() {
        return !store.isClosed();
    }

    @PreDestroy
    void close() {
        background.shutdownNow();
        Map<Long, StoredCounts> counts = new HashMap<>();
        queues.values().forEach(q -> counts.put(q.qid(), q.storedCounts()));
        store.close(counts);
        LOG.info("store closed");
    }
}

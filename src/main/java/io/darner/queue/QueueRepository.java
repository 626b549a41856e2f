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
    /** How long a stop waits for the sweep under way before it closes the store. */
    private static final long BACKGROUND_STOP_S = 10;
    /** The logsize stat is an estimate refreshed in the background, at most this many queues a second. */
    private static final int LOG_SIZE_REFRESHES_PER_SWEEP = 500;
    private static final long LOG_SIZE_MAX_AGE_MS = 10_000;

    private final QueueStore store;
    private final QueuePolicies policies;
    private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
    private final FanoutChildren children = new FanoutChildren();
    private final Aliases aliases;
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
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "darner-sweeper");
            t.setDaemon(true);
            return t;
        });
        this.queueContext = new Queue.Context(store, clock, this::getOrCreate, readAheadBudget,
                new DueTimer(background, clock));
        this.maxQueues = config.maxQueues();
        this.aliases = new Aliases(config, policies);
        for (StoredQueue sq : store.recoveredQueues()) {
            queues.put(sq.name(), new Queue(sq, policies.forQueue(sq.name()), queueContext));
            children.added(sq.name());
        }
        String saved = store.readSetting(STATUS_SETTING);
        this.status = saved == null || ServerStatus.parse(saved) == null ? ServerStatus.UP : ServerStatus.parse(saved);
        releaseDue(); // what fell due while the server was down joins its queue now; the rest is timed
        background.scheduleWithFixedDelay(this::sweep, SWEEP_PERIOD_MS, SWEEP_PERIOD_MS, TimeUnit.MILLISECONDS);
        long syncPeriod = policies.syncPeriodMs();
        if (syncPeriod > 0) {
            background.scheduleWithFixedDelay(store::sync, syncPeriod, syncPeriod, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the name is an alias: sets on it go to its destinations, and it is never a queue. */
    public boolean isAlias(String name) {
        return aliases.isAlias(name);
    }

    /** Every alias with its destinations and the sets it took, sorted by name. */
    public List<AliasStats> aliasStats() {
        List<AliasStats> out = new ArrayList<>();
        aliases.all().values().forEach(a -> out.add(new AliasStats(a.name(), a.destinations(), a.totalItems().sum())));
        return out;
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
            if (aliases.isAlias(n)) {
                throw new IllegalArgumentException("'" + n + "' is an alias, never a queue"); // callers check first
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
        return put(name, record, blob, 0);
    }

    /** {@link #put}, the item (and each fanout copy) joining its queue's tail only {@code delayMs} from now when over 0. */
    PutResult put(String name, ItemRecord record, BlobWriter blob, long delayMs) {
        Aliases.Alias alias = aliases.get(name);
        if (alias != null) {
            return delayMs > 0 ? putDelayedCopies(alias, record, blob, delayMs) : putCopies(alias, record, blob);
        }
        Queue parent = getOrCreate(name);
        List<String> childNames = children.of(name);
        if (childNames.isEmpty() && !parent.policy().fanoutOnly()) {
            return putAlone(name, record, blob, delayMs); // the common case, without the fanout's bookkeeping
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
                result = q == parent ? putRetrying(name, record, blob, delayMs) : putOrNotStored(q, record, blob, delayMs);
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
    private PutResult putAlone(String name, ItemRecord record, BlobWriter blob, long delayMs) {
        PutResult result;
        try {
            result = putRetrying(name, record, blob, delayMs);
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

    /**
     * A set on an alias: a copy in every destination, all in one write, or none (NOT_STORED) when
     * one of them is full. The copies of a large item share its chunks.
     */
    private PutResult putCopies(Aliases.Alias alias, ItemRecord record, BlobWriter blob) {
        PutResult result;
        try {
            result = putCopiesRetrying(alias, record, blob);
        } catch (StoreException e) {
            if (blob != null) {
                blob.abort();
            }
            throw e;
        }
        if (result == PutResult.STORED) {
            alias.totalItems().increment();
            counters.totalItems.add(alias.destinations().size());
        } else if (blob != null) {
            blob.abort();
        }
        return result;
    }

    /**
     * A delayed set on an alias: a delayed copy in every destination, one destination after the
     * other (not all or none, unlike an alias's other sets: each copy waits in its own queue's
     * delayed keys). STORED when every destination stored its copy. The copies of a large item
     * share its chunks.
     */
    private PutResult putDelayedCopies(Aliases.Alias alias, ItemRecord record, BlobWriter blob, long delayMs) {
        List<String> destinations = alias.destinations();
        boolean shared = blob != null && destinations.size() > 1;
        if (shared) {
            store.shareBlob(blob.blobId(), destinations.size());
        }
        int stored = 0;
        for (String name : destinations) {
            PutResult result = putRetrying(name, record, blob, delayMs);
            if (result == PutResult.STORED) {
                stored++;
                counters.totalItems.increment();
            } else if (shared) {
                store.releaseBlob(record);
            }
        }
        if (blob != null && !shared && stored == 0) {
            blob.abort();
        }
        if (stored > 0) {
            alias.totalItems().increment();
        }
        return stored == destinations.size() ? PutResult.STORED : PutResult.NOT_STORED;
    }

    private PutResult putCopiesRetrying(Aliases.Alias alias, ItemRecord record, BlobWriter blob) {
        while (true) {
            List<Queue> destinations = new ArrayList<>(alias.lockOrder().size());
            for (String name : alias.lockOrder()) {
                destinations.add(getOrCreate(name));
            }
            try {
                for (Queue q : destinations) {
                    if (!q.makeRoomForCopy(record.length())) {
                        return PutResult.NOT_STORED;
                    }
                }
                PutResult result = writeCopies(destinations, 0, record, blob);
                destinations.forEach(Queue::serveWaiters);
                return result;
            } catch (QueueDeletedException raced) {
                destinations.forEach(q -> {
                    if (q.isDeleted()) {
                        queues.remove(q.name(), q);
                    }
                });
            }
        }
    }

    /**
     * Takes the locks of the destinations from {@code i} on, in their order, then writes every
     * copy in one batch. Nothing in here takes any other lock.
     */
    private PutResult writeCopies(List<Queue> destinations, int i, ItemRecord record, BlobWriter blob) {
        if (i < destinations.size()) {
            synchronized (destinations.get(i)) {
                return writeCopies(destinations, i + 1, record, blob);
            }
        }
        int n = destinations.size();
        long[] qids = new long[n];
        long[] seqs = new long[n];
        ItemRecord[] records = new ItemRecord[n];
        for (int j = 0; j < n; j++) {
            Queue q = destinations.get(j);
            seqs[j] = q.reserveCopy(record.length());
            if (seqs[j] < 0) {
                return PutResult.NOT_STORED;
            }
            qids[j] = q.qid();
            records[j] = q.asStored(record);
        }
        store.appendCopies(qids, seqs, records, blob);
        for (int j = 0; j < n; j++) {
            destinations.get(j).copyStored(seqs[j], records[j]);
        }
        return PutResult.STORED;
    }

    /** Puts into the named queue, again into a new one if it was deleted meanwhile. */
    private PutResult putRetrying(String name, ItemRecord record, BlobWriter blob, long delayMs) {
        while (true) {
            Queue q = getOrCreate(name);
            try {
                return q.put(record, blob, delayMs);
            } catch (QueueDeletedException raced) {
                queues.remove(name, q);
            }
        }
    }

    /** Puts into a fanout child; a child deleted meanwhile simply does not get the item. */
    private static PutResult putOrNotStored(Queue child, ItemRecord record, BlobWriter blob, long delayMs) {
        try {
            return child.put(record, blob, delayMs);
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

    /**
     * Writes the small puts that wait for the end of an event loop's pass (see
     * {@link io.darner.storage.PendingPuts}) in one batch, now. If it fails, their sets are answered
     * with the failure, and their items leave their queues at {@link #settleLostPuts()}.
     */
    public void writePendingPuts() {
        store.pending().write();
    }

    /** Takes the items of failed batches of waiting puts out of their queues. Call holding no queue's lock. */
    public void settleLostPuts() {
        store.pending().settleLost();
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

    /**
     * Redrives the dead letters of queue {@code name}: up to {@code limit} items from its head, in
     * order, each to the tail of its origin queue, or of {@code to} when not null, with its delivery
     * count reset (see {@link Redrive}). Returns how many moved, or -1 when there is no such queue.
     */
    public long redrive(String name, long limit, String to) {
        Queue source = queues.get(name);
        return source == null ? -1 : new Redrive(source, this::liveQueue, aliases::isAlias).run(limit, to);
    }

    /** The queue of that name, created if new; one deleted meanwhile is replaced by a new one. */
    private Queue liveQueue(String name) {
        Queue q = getOrCreate(name);
        while (q.isDeleted()) {
            queues.remove(name, q);
            q = getOrCreate(name);
        }
        return q;
    }

    /** Whether some queue's dead-letter-queue setting (its own, its parent's or the defaults') names this queue. */
    public boolean isDeadLetterQueue(String name) {
        return policies.isDeadLetterTarget(name);
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
        Aliases.Alias alias = aliases.get(queue);
        if (alias != null) {
            return alias.destinations().stream().anyMatch(this::syncsAlways) ? store.sync() : null;
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
     * Moves every queue's delayed items that are due to its tail, and gives its held reads that are
     * due back (the {@link DueTimer} does it on time; this catches up with a clock that jumped).
     */
    void releaseDue() {
        for (Queue q : queues.values()) {
            try {
                q.releaseDue();
            } catch (RuntimeException e) {
                LOG.debugf("moving the due items of queue %s failed: %s", q.name(), e.getMessage());
            }
        }
    }

    /**
     * Every second: delayed items and held reads that are due (should the clock have jumped past
     * their timer), the queues idle for their delete-when-idle, expired items near each queue's
     * head, and some of the queues' disk-size estimates. One queue that cannot be swept (a failing
     * disk, a damaged block) does not stop the sweep of the others.
     */
    private void sweep() {
        long now = clock.millis();
        int refreshed = 0;
        releaseDue();
        for (Queue q : queues.values()) {
            try {
                if (deleteIfIdle(q, now)) {
                    continue;
                }
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

    /** Deletes every queue idle for its delete-when-idle (the sweep does it every second); returns how many. */
    int deleteIdleQueues() {
        long now = clock.millis();
        int n = 0;
        for (Queue q : queues.values()) {
            n += deleteIfIdle(q, now) ? 1 : 0;
        }
        return n;
    }

    private boolean deleteIfIdle(Queue q, long now) {
        if (q.policy().deleteWhenIdleMs() <= 0 || !q.deleteIfIdle(now)) {
            return false;
        }
        queues.remove(q.name(), q);
        children.removed(q.name());
        counters.queueExpires.increment();
        return true;
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

    /**
     * The calling thread serves requests for as long as the process runs (an event loop): its
     * store calls may keep native memory for the life of the thread.
     */
    public void servingThreadStarted() {
        store.poolNativeBuffersOnThisThread();
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
        try {
            // the sweep may be in a store call (a disk estimate, an expiry): LevelDB's close under
            // it frees what that call reads (a native crash, seen on aarch64)
            if (!background.awaitTermination(BACKGROUND_STOP_S, TimeUnit.SECONDS)) {
                LOG.warnf("the background sweep did not stop within %d s: closing the store anyway", BACKGROUND_STOP_S);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<Long, StoredCounts> counts = new HashMap<>();
        queues.values().forEach(q -> counts.put(q.qid(), q.storedCounts()));
        store.close(counts);
        LOG.info("store closed");
    }
}

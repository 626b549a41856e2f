package io.darner.admin;

import io.darner.config.AdminConfig;
import io.darner.config.MetricsConfig;
import io.darner.queue.PeekedItem;
import io.darner.queue.Queue;
import io.darner.queue.QueueFlow;
import io.darner.queue.QueueRepository;
import io.darner.queue.QueueStats;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples every queue each {@code darner.admin.history-interval} (5 s): its in/out counters into
 * its {@link RateWindow}, and for the first {@code darner.metrics.max-queues} queues by name (the
 * ones with metrics series) their depth, open reads, age of the oldest item and rates into a
 * {@link HistoryRing}; the same for the server as a whole. Memory is bounded: a rate window for
 * each queue (about 330 bytes with its map entry), a history (about 31 KiB) for at most max-queues
 * queues and the server.
 *
 * <p>Tests call {@link #sample(long)} with their own clock, or set a short interval.
 */
@Singleton
public class QueueSampler {
    private static final Logger LOG = Logger.getLogger(QueueSampler.class);
    static final int HISTORY_SAMPLES = 720;
    static final int RATE_INTERVALS = 3;
    private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    private static final Duration MAX_INTERVAL = Duration.ofMinutes(1);

    /** One queue's sampling state; a queue deleted and made again gets a new one (its counters start over). */
    private static final class Track {
        final QueueFlow flow;
        final RateWindow window = new RateWindow(RATE_INTERVALS);
        volatile HistoryRing history;
        long generation;

        Track(QueueFlow flow) {
            this.flow = flow;
        }
    }

    private final QueueRepository repo;
    private final int historyQueues;
    private final long intervalMs;
    private final ConcurrentHashMap<String, Track> tracks = new ConcurrentHashMap<>();
    private final HistoryRing server = new HistoryRing(HISTORY_SAMPLES);
    private volatile Rates serverRates = Rates.ZERO;
    private long generation;
    private ScheduledExecutorService timer;

    public QueueSampler(QueueRepository repo, AdminConfig admin, MetricsConfig metrics) {
        Duration interval = admin.historyInterval();
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("darner.admin.history-interval=" + interval.toMillis()
                    + "ms: must be from 100ms to 1m");
        }
        this.repo = repo;
        this.intervalMs = interval.toMillis();
        this.historyQueues = metrics.maxQueues();
    }

    void onStart(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "darner-admin-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sampleNow, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void sampleNow() {
        try {
            sample(System.currentTimeMillis());
        } catch (RuntimeException e) { // a failure must not end the schedule
            LOG.warnf(e, "sampling the queues failed");
        }
    }

    /** Takes one sample of every queue and of the server, as at {@code nowMs}. */
    synchronized void sample(long nowMs) {
        long gen = ++generation;
        List<QueueStats> stats = repo.stats(); // sorted by name, as the metrics series are chosen
        Rates total = Rates.ZERO;
        long depth = 0;
        long open = 0;
        long oldest = 0;
        for (int i = 0; i < stats.size(); i++) {
            QueueStats s = stats.get(i);
            Queue q = repo.find(s.name());
            if (q == null) {
                continue; // deleted meanwhile
            }
            Track t = tracks.get(s.name());
            if (t == null || t.flow != q.flow()) {
                t = new Track(q.flow());
                tracks.put(s.name(), t);
            }
            t.generation = gen;
            QueueFlow f = t.flow;
            Rates rates = t.window.add(nowMs, f.itemsIn(), f.bytesIn(), f.itemsOut(), f.bytesOut());
            total = total.plus(rates);
            depth += s.items();
            open += s.openTransactions();
            if (i < historyQueues) {
                if (t.history == null) {
                    t.history = new HistoryRing(HISTORY_SAMPLES);
                }
                long age = oldestAgeMs(q, s, nowMs);
                oldest = Math.max(oldest, age);
                t.history.add(nowMs, s.items(), s.openTransactions(), age, rates);
            } else {
                t.history = null;
            }
        }
        tracks.values().removeIf(t -> t.generation != gen);
        serverRates = total;
        server.add(nowMs, depth, open, oldest, total);
    }

    /** How long the item at the head has waited; 0 for an empty queue or one that cannot be read. */
    private static long oldestAgeMs(Queue q, QueueStats s, long nowMs) {
        if (s.items() == 0) {
            return 0;
        }
        try {
            List<PeekedItem> head = q.peekMany(1);
            return head.isEmpty() ? 0 : Math.max(0, nowMs - head.get(0).enqueuedAt());
        } catch (RuntimeException e) {
            return 0; // a damaged queue: its own errors say so
        }
    }

    long intervalMs() {
        return intervalMs;
    }

    /** The queue's rates at the last sample (zero before its second sample). */
    Rates rates(String queue) {
        Track t = tracks.get(queue);
        return t == null ? Rates.ZERO : t.window.latest();
    }

    /** The sum of every queue's rates at the last sample. */
    Rates serverRates() {
        return serverRates;
    }

    HistoryView history(String queue) {
        Track t = tracks.get(queue);
        HistoryRing ring = t == null ? null : t.history;
        return ring == null ? HistoryView.notKept(intervalMs) : ring.view(intervalMs);
    }

    HistoryView serverHistory() {
        return server.view(intervalMs);
    }

    /** The queue's last {@code n} depths, oldest first, or null when it keeps no history. */
    long[] trend(String queue, int n) {
        Track t = tracks.get(queue);
        HistoryRing ring = t == null ? null : t.history;
        return ring == null ? null : ring.lastDepths(n);
    }
}

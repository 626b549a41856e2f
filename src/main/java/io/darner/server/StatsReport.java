package io.darner.server;

import io.darner.queue.AliasStats;
import io.darner.queue.QueueRepository;
import io.darner.queue.QueueStats;
import io.darner.queue.RepositoryCounters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code stats} and {@code dump_stats} figures (spec section 6); the admin API shows the same. */
public final class StatsReport {
    /** Takes the figures one by one, in order, so a reply can be written without building a map. */
    public interface Sink {
        void stat(String name, String value);
    }

    private StatsReport() {}

    public static Map<String, String> global(QueueRepository repo, ConnectionStats conns, long startedAtMs, String version) {
        Map<String, String> m = new LinkedHashMap<>();
        global(repo, conns, startedAtMs, version, m::put);
        return m;
    }

    /** The server's figures, then every queue's, sorted by name. */
    public static void global(QueueRepository repo, ConnectionStats conns, long startedAtMs, String version, Sink m) {
        List<QueueStats> queues = repo.stats();
        long items = 0;
        long bytes = 0;
        for (QueueStats q : queues) {
            items += q.items();
            bytes += q.bytes();
        }
        long now = System.currentTimeMillis();
        RepositoryCounters c = repo.counters();
        m.stat("uptime", Long.toString((now - startedAtMs) / 1000));
        m.stat("time", Long.toString(now / 1000));
        m.stat("version", version);
        m.stat("curr_items", Long.toString(items));
        m.stat("total_items", Long.toString(c.totalItems.sum()));
        m.stat("bytes", Long.toString(bytes));
        m.stat("curr_connections", Integer.toString(conns.current()));
        m.stat("total_connections", Long.toString(conns.total()));
        m.stat("cmd_get", Long.toString(c.cmdGet.sum()));
        m.stat("cmd_set", Long.toString(c.cmdSet.sum()));
        m.stat("cmd_peek", Long.toString(c.cmdPeek.sum()));
        m.stat("get_hits", Long.toString(c.getHits.sum()));
        m.stat("get_misses", Long.toString(c.getMisses.sum()));
        m.stat("bytes_read", Long.toString(conns.bytesRead()));
        m.stat("bytes_written", Long.toString(conns.bytesWritten()));
        m.stat("queue_creates", Long.toString(c.queueCreates.sum()));
        m.stat("queue_deletes", Long.toString(c.queueDeletes.sum()));
        m.stat("queue_expires", Long.toString(c.queueExpires.sum()));
        // beyond the spec's list: which LevelDB runs (native or java), and the setting that chose it
        m.stat("store_engine", repo.storeEngine().kind().word());
        m.stat("store_engine_setting", repo.storeEngine().setting());
        for (QueueStats q : queues) {
            String prefix = "queue_" + q.name() + "_";
            queueFields(q, (k, v) -> m.stat(prefix + k, v));
        }
        for (AliasStats a : repo.aliasStats()) {
            m.stat("alias_" + a.name() + "_destinations", String.join(",", a.destinations()));
            m.stat("alias_" + a.name() + "_total_items", Long.toString(a.totalItems()));
        }
    }

    /** One queue's fields in the order of the spec. */
    static void queueFields(QueueStats q, Sink m) {
        m.stat("items", Long.toString(q.items()));
        m.stat("bytes", Long.toString(q.bytes()));
        m.stat("total_items", Long.toString(q.totalItems()));
        m.stat("logsize", Long.toString(q.logSize()));
        m.stat("expired_items", Long.toString(q.expiredItems()));
        m.stat("mem_items", Long.toString(q.memItems()));
        m.stat("mem_bytes", Long.toString(q.memBytes()));
        m.stat("age", Long.toString(q.ageMs()));
        m.stat("discarded", Long.toString(q.discarded()));
        m.stat("waiters", Integer.toString(q.waiters()));
        m.stat("open_transactions", Long.toString(q.openTransactions()));
        m.stat("transactions", Long.toString(q.transactions()));
        m.stat("canceled_transactions", Long.toString(q.canceledTransactions()));
        m.stat("total_flushes", Long.toString(q.totalFlushes()));
        m.stat("delayed", Long.toString(q.delayed()));
        if (!q.children().isEmpty()) {
            m.stat("children", String.join(",", q.children()));
        }
    }
}

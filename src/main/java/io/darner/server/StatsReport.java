package io.darner.server;

import io.darner.queue.QueueRepository;
import io.darner.queue.QueueStats;
import io.darner.queue.RepositoryCounters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code stats} and {@code dump_stats} figures (spec section 6); the admin API shows the same. */
public final class StatsReport {
    private StatsReport() {}

    public static Map<String, String> global(QueueRepository repo, ConnectionStats conns, long startedAtMs, String version) {
        List<QueueStats> queues = repo.stats();
        long items = 0;
        long bytes = 0;
        for (QueueStats q : queues) {
            items += q.items();
            bytes += q.bytes();
        }
        long now = System.currentTimeMillis();
        RepositoryCounters c = repo.counters();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("uptime", Long.toString((now - startedAtMs) / 1000));
        m.put("time", Long.toString(now / 1000));
        m.put("version", version);
        m.put("curr_items", Long.toString(items));
        m.put("total_items", Long.toString(c.totalItems.sum()));
        m.put("bytes", Long.toString(bytes));
        m.put("curr_connections", Integer.toString(conns.current()));
        m.put("total_connections", Long.toString(conns.total()));
        m.put("cmd_get", Long.toString(c.cmdGet.sum()));
        m.put("cmd_set", Long.toString(c.cmdSet.sum()));
        m.put("cmd_peek", Long.toString(c.cmdPeek.sum()));
        m.put("get_hits", Long.toString(c.getHits.sum()));
        m.put("get_misses", Long.toString(c.getMisses.sum()));
        m.put("bytes_read", Long.toString(conns.bytesRead()));
        m.put("bytes_written", Long.toString(conns.bytesWritten()));
        m.put("queue_creates", Long.toString(c.queueCreates.sum()));
        m.put("queue_deletes", Long.toString(c.queueDeletes.sum()));
        m.put("queue_expires", Long.toString(c.queueExpires.sum()));
        for (QueueStats q : queues) {
            queueFields(q).forEach((k, v) -> m.put("queue_" + q.name() + "_" + k, v));
        }
        return m;
    }

    /** One queue's fields in the order of the spec. */
    static Map<String, String> queueFields(QueueStats q) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("items", Long.toString(q.items()));
        m.put("bytes", Long.toString(q.bytes()));
        m.put("total_items", Long.toString(q.totalItems()));
        m.put("logsize", Long.toString(q.logSize()));
        m.put("expired_items", Long.toString(q.expiredItems()));
        m.put("mem_items", Long.toString(q.memItems()));
        m.put("mem_bytes", Long.toString(q.memBytes()));
        m.put("age", Long.toString(q.ageMs()));
        m.put("discarded", Long.toString(q.discarded()));
        m.put("waiters", Integer.toString(q.waiters()));
        m.put("open_transactions", Long.toString(q.openTransactions()));
        m.put("transactions", Long.toString(q.transactions()));
        m.put("canceled_transactions", Long.toString(q.canceledTransactions()));
        m.put("total_flushes", Long.toString(q.totalFlushes()));
        if (!q.children().isEmpty()) {
            m.put("children", String.join(",", q.children()));
        }
        return m;
    }
}

package io.darner.admin;

import io.darner.queue.QueueStats;

import java.util.ArrayList;
import java.util.List;

/**
 * One queue's figures for the metrics. Cardinality stays bounded however many queues there are:
 * the first {@code maxQueues} queues by name get series of their own, the others are summed into
 * one series labelled {@link #OTHER} (a name no queue can have).
 *
 * @param ageMs for {@link #OTHER}, the largest age among those queues
 */
record QueueSeries(String queue, long items, long bytes, long openReads, long waiters, long ageMs, long enqueued,
                   long expired, long discarded, long deadLettered, long delayed) {
    static final String OTHER = "(other)";

    /** {@code stats} sorted by name, as the repository gives them. */
    static List<QueueSeries> of(List<QueueStats> stats, int maxQueues) {
        List<QueueSeries> out = new ArrayList<>(Math.min(stats.size(), maxQueues) + 1);
        QueueSeries other = null;
        for (int i = 0; i < stats.size(); i++) {
            QueueStats s = stats.get(i);
            if (i < maxQueues) {
                out.add(of(s.name(), s));
            } else {
                other = other == null ? of(OTHER, s) : other.plus(s);
            }
        }
        if (other != null) {
            out.add(other);
        }
        return out;
    }

    private static QueueSeries of(String label, QueueStats s) {
        return new QueueSeries(label, s.items(), s.bytes(), s.openTransactions(), s.waiters(), s.ageMs(),
                s.totalItems(), s.expiredItems(), s.discarded(), s.deadLettered(), s.delayed());
    }

    private QueueSeries plus(QueueStats s) {
        return new QueueSeries(queue, items + s.items(), bytes + s.bytes(), openReads + s.openTransactions(),
                waiters + s.waiters(), Math.max(ageMs, s.ageMs()), enqueued + s.totalItems(),
                expired + s.expiredItems(), discarded + s.discarded(), deadLettered + s.deadLettered(),
                delayed + s.delayed());
    }
}

package io.darner.admin;

import io.darner.queue.QueuePolicy;
import io.darner.queue.QueueStats;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * One queue as the admin API shows it: the figures of {@code dump_stats} (spec section 6), its
 * effective settings and its rates.
 *
 * @param items items available (open reads excluded)
 * @param openReads items handed out by open reads and not yet confirmed
 * @param delayed items not due yet: delayed sets, and open reads aborted with a delay
 * @param ageMs how long the last item taken had waited, 0 when the queue is empty
 * @param totalItems items ever added
 * @param logSize bytes the items take on disk, as the store estimates them
 * @param deadLetterQueue whether some queue's dead-letter-queue setting names this one: its items can be redriven
 * @param rates items and bytes per second in and out, over the last samples
 * @param trend the last depths sampled, oldest first, when asked for ({@code trend=n}) and the queue keeps history
 */
public record QueueView(String name, long items, long bytes, long openReads, long delayed, int waiters, long ageMs,
                        long totalItems,
                        long expiredItems, long discarded, long deadLettered, long transactions,
                        long canceledTransactions, long totalFlushes, long logSize, List<String> children,
                        boolean deadLetterQueue, SettingsView settings, Rates rates,
                        @Schema(description = "the last depths sampled (items), oldest first; only with trend=n, "
                                + "and null for a queue that keeps no history", nullable = true) long[] trend) {

    static QueueView of(QueueStats s, QueuePolicy policy, boolean deadLetterQueue, Rates rates, long[] trend) {
        return new QueueView(s.name(), s.items(), s.bytes(), s.openTransactions(), s.delayed(), s.waiters(), s.ageMs(),
                s.totalItems(), s.expiredItems(), s.discarded(), s.deadLettered(), s.transactions(),
                s.canceledTransactions(), s.totalFlushes(), s.logSize(), s.children(), deadLetterQueue,
                SettingsView.of(policy), rates, trend);
    }

    QueueView withTrend(long[] depths) {
        return new QueueView(name, items, bytes, openReads, delayed, waiters, ageMs, totalItems, expiredItems, discarded,
                deadLettered, transactions, canceledTransactions, totalFlushes, logSize, children, deadLetterQueue,
                settings, rates, depths);
    }
}

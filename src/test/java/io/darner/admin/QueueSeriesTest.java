package io.darner.admin;

import io.darner.queue.QueueStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QueueSeriesTest {

    private static QueueStats stats(String name, long n) {
        // items n, bytes 10n, open reads n, waiters 1, age n ms, enqueued 100n, expired 2n, discarded 3n,
        // dead-lettered 4n, delayed 5n
        return new QueueStats(name, n, 10 * n, 100 * n, 0, 2 * n, 0, 0, n, 3 * n, 4 * n, 1, n, 0, 0, 0, List.of(), 5 * n);
    }

    @Test
    void theFirstQueuesByNameGetTheirOwnSeriesAndTheRestAreSummed() {
        List<QueueStats> stats = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            stats.add(stats("q" + i, i));
        }
        List<QueueSeries> series = QueueSeries.of(stats, 2);
        assertEquals(List.of("q1", "q2", QueueSeries.OTHER), series.stream().map(QueueSeries::queue).toList());
        assertEquals(new QueueSeries("q2", 2, 20, 2, 1, 2, 200, 4, 6, 8, 10), series.get(1));
        // q3 + q4 + q5: sums, and the oldest age
        assertEquals(new QueueSeries(QueueSeries.OTHER, 12, 120, 12, 3, 5, 1200, 24, 36, 48, 60), series.get(2));
    }

    @Test
    void noOtherSeriesWhileEveryQueueFits() {
        List<QueueSeries> series = QueueSeries.of(List.of(stats("a", 1), stats("b", 2)), 2);
        assertEquals(List.of("a", "b"), series.stream().map(QueueSeries::queue).toList());
        assertEquals(List.of(), QueueSeries.of(List.of(), 2));
    }

    @Test
    void zeroQueuesOfTheirOwnSumsEverything() {
        List<QueueSeries> series = QueueSeries.of(List.of(stats("a", 1), stats("b", 2)), 0);
        assertEquals(List.of(new QueueSeries(QueueSeries.OTHER, 3, 30, 3, 2, 2, 300, 6, 9, 12, 15)), series);
    }
}

package io.darner.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryRingTest {

    private static void add(HistoryRing ring, long i) {
        ring.add(i * 5_000, i * 10, i, i * 1_000, new Rates(i, i / 2.0, i * 100, i * 50));
    }

    @Test
    void isEmptyAtFirst() {
        HistoryView v = new HistoryRing(4).view(5_000);
        assertTrue(v.kept());
        assertEquals(5_000, v.intervalMs());
        assertEquals(0, v.times().length);
        assertEquals(0, v.bytesOutPerSecond().length);
    }

    @Test
    void givesTheSamplesOldestFirstBeforeItIsFull() {
        HistoryRing ring = new HistoryRing(4);
        for (int i = 1; i <= 3; i++) {
            add(ring, i);
        }
        HistoryView v = ring.view(5_000);
        assertArrayEquals(new long[] {5_000, 10_000, 15_000}, v.times());
        assertArrayEquals(new long[] {10, 20, 30}, v.items());
        assertArrayEquals(new int[] {1, 2, 3}, v.openReads());
        assertArrayEquals(new long[] {1_000, 2_000, 3_000}, v.oldestAgeMs());
        assertArrayEquals(new float[] {1, 2, 3}, v.itemsInPerSecond());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f}, v.itemsOutPerSecond());
        assertArrayEquals(new float[] {100, 200, 300}, v.bytesInPerSecond());
        assertArrayEquals(new float[] {50, 100, 150}, v.bytesOutPerSecond());
    }

    @Test
    void dropsTheOldestWhenFull() {
        HistoryRing ring = new HistoryRing(4);
        for (int i = 1; i <= 10; i++) {
            add(ring, i);
        }
        HistoryView v = ring.view(5_000);
        assertArrayEquals(new long[] {35_000, 40_000, 45_000, 50_000}, v.times());
        assertArrayEquals(new long[] {70, 80, 90, 100}, v.items());
        assertArrayEquals(new int[] {7, 8, 9, 10}, v.openReads());
        assertArrayEquals(new float[] {700, 800, 900, 1_000}, v.bytesInPerSecond());
    }

    @Test
    void givesTheLastDepthsForATrendLine() {
        HistoryRing ring = new HistoryRing(4);
        assertArrayEquals(new long[0], ring.lastDepths(3));
        add(ring, 1);
        assertArrayEquals(new long[] {10}, ring.lastDepths(3));
        for (int i = 2; i <= 6; i++) {
            add(ring, i);
        }
        assertArrayEquals(new long[] {40, 50, 60}, ring.lastDepths(3));
        assertArrayEquals(new long[] {30, 40, 50, 60}, ring.lastDepths(100));
    }
}

package io.darner.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyCellsTest {
    @Test
    void aTimeGoesToTheFirstBucketWhoseBoundHoldsIt() {
        LatencyCells cells = new LatencyCells();
        cells.getAnswered(50_000);              // on the bound: the first bucket (le is inclusive)
        cells.getAnswered(50_001);              // just past it: the second
        cells.getAnswered(20_000_000_000L);     // beyond the last bound: +Inf only
        cells.setAnswered(3_000_000);           // 3 ms: le=0.005
        long[] sets = new long[LatencyCells.SLOTS];
        long[] gets = new long[LatencyCells.SLOTS];
        cells.addTo(sets, gets);

        assertEquals(1, gets[0]);
        assertEquals(1, gets[1]);
        assertEquals(1, gets[LatencyCells.BOUNDS_NANOS.length], "beyond 10 s");
        assertEquals(50_000 + 50_001 + 20_000_000_000L, gets[LatencyCells.SUM_SLOT]);
        assertEquals(1, sets[6], "le=0.005");
        assertEquals(3_000_000, sets[LatencyCells.SUM_SLOT]);
    }

    @Test
    void aScrapeAddsTheCellsOfEveryThreadToItsSums() {
        LatencyCells one = new LatencyCells();
        LatencyCells two = new LatencyCells();
        one.setAnswered(10_000);
        two.setAnswered(10_000);
        long[] sets = new long[LatencyCells.SLOTS];
        long[] gets = new long[LatencyCells.SLOTS];
        one.addTo(sets, gets);
        two.addTo(sets, gets);
        assertEquals(2, sets[0]);
        assertEquals(20_000, sets[LatencyCells.SUM_SLOT]);
    }
}

package io.darner.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateWindowTest {

    @Test
    void isZeroUntilThereAreTwoSamples() {
        RateWindow w = new RateWindow(3);
        assertEquals(Rates.ZERO, w.latest());
        assertEquals(Rates.ZERO, w.add(1_000, 50, 500, 10, 100));
    }

    @Test
    void ratesAreTheCountersDifferenceOverTheTimeBetween() {
        RateWindow w = new RateWindow(3);
        w.add(1_000, 0, 0, 0, 0);
        Rates r = w.add(3_000, 20, 2_000, 10, 500); // 2 s later
        assertEquals(new Rates(10, 5, 1_000, 250), r);
        assertEquals(r, w.latest());
    }

    @Test
    void slidesOverTheLastIntervalsOnly() {
        RateWindow w = new RateWindow(2);
        w.add(0, 0, 0, 0, 0);
        w.add(1_000, 100, 0, 0, 0);
        assertEquals(100, w.add(2_000, 200, 0, 0, 0).itemsInPerSecond()); // (200 - 0) / 2 s
        // the first sample has left the window: (200 - 100) / 2 s, then (200 - 200) / 2 s
        assertEquals(50, w.add(3_000, 200, 0, 0, 0).itemsInPerSecond());
        assertEquals(0, w.add(4_000, 200, 0, 0, 0).itemsInPerSecond());
        assertEquals(30, w.add(5_000, 260, 0, 0, 0).itemsInPerSecond());
    }

    @Test
    void keepsSlidingOverManyTurnsOfTheRing() {
        RateWindow w = new RateWindow(3);
        for (int i = 0; i <= 1_000; i++) {
            w.add(i * 5_000L, i * 50L, i * 5_000L, i * 25L, i * 2_500L); // 10 items/s in, 5 out, 100 bytes each
        }
        assertEquals(new Rates(10, 5, 1_000, 500), w.latest());
    }

    @Test
    void startsOverWhenACounterGoesDown() {
        RateWindow w = new RateWindow(3);
        w.add(0, 1_000, 1_000, 1_000, 1_000);
        w.add(1_000, 2_000, 2_000, 2_000, 2_000);
        // the queue was deleted and made again: its counters start from 0
        assertEquals(Rates.ZERO, w.add(2_000, 5, 5, 0, 0));
        assertEquals(new Rates(5, 0, 5, 0), w.add(3_000, 10, 10, 0, 0));
    }

    @Test
    void startsOverWhenTheClockGoesBack() {
        RateWindow w = new RateWindow(3);
        w.add(10_000, 0, 0, 0, 0);
        w.add(11_000, 10, 0, 0, 0);
        assertEquals(Rates.ZERO, w.add(5_000, 20, 0, 0, 0));
    }

    @Test
    void needsAtLeastOneInterval() {
        assertThrows(IllegalArgumentException.class, () -> new RateWindow(0));
    }
}

package io.darner.admin;

/**
 * One queue's in/out rates over a sliding window: the last {@code intervals + 1} samples of its
 * cumulative counters, so a rate is (newest − oldest) / (time between them). Every viewer reads the
 * rates computed at the last sample, so they all see the same figures.
 *
 * <p>Primitive arrays only: one window per queue, thousands of queues. With the default 3
 * intervals it holds 4 times and 16 counters (about 250 bytes with the arrays' and object headers).
 */
final class RateWindow {
    private static final int COUNTERS = 4;

    private final long[] times;
    /** {@code COUNTERS} values per slot: items in, bytes in, items out, bytes out. */
    private final long[] counts;
    private int newest = -1;
    private int filled;
    private volatile Rates latest = Rates.ZERO;

    RateWindow(int intervals) {
        if (intervals < 1) {
            throw new IllegalArgumentException("a rate window spans at least one interval");
        }
        times = new long[intervals + 1];
        counts = new long[(intervals + 1) * COUNTERS];
    }

    /**
     * Adds a sample of the cumulative counters and returns the rates over the window. A counter
     * that went down (the queue was deleted and made again) starts the window over.
     */
    Rates add(long timeMs, long itemsIn, long bytesIn, long itemsOut, long bytesOut) {
        if (filled > 0 && (itemsIn < counts[newest * COUNTERS] || bytesIn < counts[newest * COUNTERS + 1]
                || itemsOut < counts[newest * COUNTERS + 2] || bytesOut < counts[newest * COUNTERS + 3]
                || timeMs <= times[newest])) {
            filled = 0;
        }
        newest = (newest + 1) % times.length;
        times[newest] = timeMs;
        int at = newest * COUNTERS;
        counts[at] = itemsIn;
        counts[at + 1] = bytesIn;
        counts[at + 2] = itemsOut;
        counts[at + 3] = bytesOut;
        filled = Math.min(filled + 1, times.length);
        latest = computeRates();
        return latest;
    }

    /** The rates at the last sample; zero until there are two samples. Any thread. */
    Rates latest() {
        return latest;
    }

    private Rates computeRates() {
        if (filled < 2) {
            return Rates.ZERO;
        }
        int oldest = Math.floorMod(newest - (filled - 1), times.length);
        double seconds = (times[newest] - times[oldest]) / 1000.0;
        int n = newest * COUNTERS;
        int o = oldest * COUNTERS;
        return new Rates((counts[n] - counts[o]) / seconds, (counts[n + 2] - counts[o + 2]) / seconds,
                (counts[n + 1] - counts[o + 1]) / seconds, (counts[n + 3] - counts[o + 3]) / seconds);
    }
}

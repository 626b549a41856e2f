package io.darner.admin;

import io.darner.queue.RequestTimings;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The latency histogram of the requests one thread served: written by that thread only, with
 * plain (opaque) stores, read by a scrape on any thread. Each command has one slot per bucket,
 * one for beyond the last bucket and one for the sum of the times.
 */
final class LatencyCells implements RequestTimings {
    /** Upper bounds of the buckets, 50 µs to 10 s in steps of 1, 2, 5. */
    static final long[] BOUNDS_NANOS = {
        50_000, 100_000, 200_000, 500_000,
        1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000,
        100_000_000, 200_000_000, 500_000_000, 1_000_000_000L, 2_000_000_000L, 5_000_000_000L, 10_000_000_000L};
    /** Slots per command: the buckets, the one beyond them, the sum of the nanoseconds. */
    static final int SLOTS = BOUNDS_NANOS.length + 2;
    static final int SUM_SLOT = SLOTS - 1;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] sets = new long[SLOTS];
    private final long[] gets = new long[SLOTS];

    @Override
    public void setAnswered(long nanos) {
        record(sets, nanos);
    }

    @Override
    public void getAnswered(long nanos) {
        record(gets, nanos);
    }

    /** On the owning thread only: one writer, so a plain read-add-store loses nothing. */
    private static void record(long[] slots, long nanos) {
        int bucket = 0;
        while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
            bucket++; // most requests take well under a millisecond: a few steps
        }
        add(slots, bucket, 1);
        add(slots, SUM_SLOT, Math.max(0, nanos));
    }

    private static void add(long[] slots, int i, long n) {
        SLOT.setOpaque(slots, i, (long) SLOT.getOpaque(slots, i) + n);
    }

    /** Adds this thread's figures to the sums of a scrape. */
    void addTo(long[] setSums, long[] getSums) {
        for (int i = 0; i < SLOTS; i++) {
            setSums[i] += (long) SLOT.getOpaque(sets, i);
            getSums[i] += (long) SLOT.getOpaque(gets, i);
        }
    }
}

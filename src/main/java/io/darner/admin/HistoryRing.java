package io.darner.admin;

/**
 * The last {@code capacity} samples of one queue (or of the server): depth, open reads, age of the
 * oldest item and rates. Fixed primitive arrays, allocated once: 44 bytes a sample, so 720 samples
 * (an hour at 5 s) take about 31 KiB. The sampler adds, API threads read a copy.
 */
final class HistoryRing {
    private final long[] times;
    private final long[] items;
    private final int[] openReads;
    private final long[] oldestAgeMs;
    private final float[] itemsIn;
    private final float[] itemsOut;
    private final float[] bytesIn;
    private final float[] bytesOut;
    private int next;
    private int size;

    HistoryRing(int capacity) {
        times = new long[capacity];
        items = new long[capacity];
        openReads = new int[capacity];
        oldestAgeMs = new long[capacity];
        itemsIn = new float[capacity];
        itemsOut = new float[capacity];
        bytesIn = new float[capacity];
        bytesOut = new float[capacity];
    }

    /** Adds a sample, dropping the oldest when full. */
    synchronized void add(long timeMs, long depth, long open, long oldestAge, Rates rates) {
        times[next] = timeMs;
        items[next] = depth;
        openReads[next] = (int) Math.min(open, Integer.MAX_VALUE);
        oldestAgeMs[next] = oldestAge;
        itemsIn[next] = (float) rates.itemsInPerSecond();
        itemsOut[next] = (float) rates.itemsOutPerSecond();
        bytesIn[next] = (float) rates.bytesInPerSecond();
        bytesOut[next] = (float) rates.bytesOutPerSecond();
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /** The samples, oldest first. */
    synchronized HistoryView view(long intervalMs) {
        return new HistoryView(intervalMs, true, ordered(times), ordered(items), ordered(openReads),
                ordered(oldestAgeMs), ordered(itemsIn), ordered(itemsOut), ordered(bytesIn), ordered(bytesOut));
    }

    /** The depths of the last {@code n} samples, oldest first (the table's trend line). */
    synchronized long[] lastDepths(int n) {
        int count = Math.min(n, size);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = items[Math.floorMod(next - count + i, items.length)];
        }
        return out;
    }

    private int first() {
        return Math.floorMod(next - size, times.length);
    }

    private long[] ordered(long[] ring) {
        long[] out = new long[size];
        copy(ring, out);
        return out;
    }

    private int[] ordered(int[] ring) {
        int[] out = new int[size];
        copy(ring, out);
        return out;
    }

    private float[] ordered(float[] ring) {
        float[] out = new float[size];
        copy(ring, out);
        return out;
    }

    /** Copies the {@code size} samples of a ring array, oldest first, into {@code out}. */
    private void copy(Object ring, Object out) {
        int start = first();
        int head = Math.min(size, times.length - start);
        System.arraycopy(ring, start, out, 0, head);
        System.arraycopy(ring, 0, out, head, size - head);
    }
}

package io.darner.storage;

import org.iq80.leveldb.DBIterator;

import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The last key of a range of keys numbered in order (a queue's items by seq, the chunks by large
 * item id), found by stepping back from the range's end where the engine can (the native one),
 * and by a binary search over forward seeks where it cannot (the Java one's iterators only go
 * forwards: about 64 seeks).
 */
final class LastKeys {
    private LastKeys() {}

    /**
     * The highest number {@code n >= from} whose key {@code key.apply(n)} (or a key after it still in
     * the range) is stored, or -1 when the range holds no key from {@code from} on. {@code end} is a
     * key past the range (step back from it); {@code number} reads a key's number.
     */
    static long highest(DBIterator it, long from, byte[] end, LongFunction<byte[]> key, Predicate<byte[]> inRange,
                        ToLongFunction<byte[]> number) {
        try {
            it.seek(end);
            if (!it.hasPrev()) {
                return -1;
            }
            Map.Entry<byte[], byte[]> p = it.peekPrev();
            return inRange.test(p.getKey()) && number.applyAsLong(p.getKey()) >= from ? number.applyAsLong(p.getKey()) : -1;
        } catch (UnsupportedOperationException forwardOnly) {
            return search(it, from, key, inRange, number);
        }
    }

    private static long search(DBIterator it, long from, LongFunction<byte[]> key, Predicate<byte[]> inRange,
                               ToLongFunction<byte[]> number) {
        long found = keyFrom(it, from, key, inRange, number);
        if (found < 0) {
            return -1;
        }
        long lo = found; // a key at lo; none after hi
        long hi = Long.MAX_VALUE;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2 + 1; // in (lo, hi], without overflow
            long at = keyFrom(it, mid, key, inRange, number);
            if (at >= 0) {
                lo = at;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The number of the first key at or after number {@code n} that is still in the range, or -1. */
    private static long keyFrom(DBIterator it, long n, LongFunction<byte[]> key, Predicate<byte[]> inRange,
                                ToLongFunction<byte[]> number) {
        it.seek(key.apply(n));
        if (!it.hasNext()) {
            return -1;
        }
        byte[] k = it.peekNext().getKey();
        return inRange.test(k) ? number.applyAsLong(k) : -1;
    }
}

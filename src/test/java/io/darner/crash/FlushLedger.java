package io.darner.crash;

import io.darner.testing.ItemId;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one connection that sets items into a queue and flushes it now and then was told, and the
 * check of what the queue holds after the restart: no reader takes from it, so it must hold exactly
 * the items stored since the last flush answered, in order, give or take the one request that was
 * unanswered at the kill (a set that may or may not be stored; a flush that may or may not be done).
 */
final class FlushLedger {
    private final List<ItemId> sinceFlush = new ArrayList<>();
    private ItemId setUnanswered;
    private boolean flushUnanswered;
    private int flushes;
    private final List<String> unexpected = new ArrayList<>();

    synchronized void setSent(ItemId id) {
        setUnanswered = id;
    }

    synchronized void stored(ItemId id) {
        sinceFlush.add(id);
        setUnanswered = null;
    }

    synchronized void flushSent() {
        flushUnanswered = true;
    }

    synchronized void flushed() {
        sinceFlush.clear();
        flushUnanswered = false;
        flushes++;
    }

    private final List<Long> unexpectedAt = new ArrayList<>();
    private long failuresExpectedFrom = Long.MAX_VALUE;

    /** A reply the server must not give while it is up; the flusher stops at it (what it sent last stays unanswered). */
    synchronized void unexpected(String what) {
        long now = System.currentTimeMillis();
        if (now < failuresExpectedFrom) {
            unexpected.add(what);
            unexpectedAt.add(now);
        }
    }

    /** The power was cut at {@code millis}: what went wrong from then on was expected. */
    synchronized void failuresExpectedFrom(long millis) {
        failuresExpectedFrom = millis;
    }

    synchronized void verify(List<ItemId> drained) {
        List<String> beforeCut = new ArrayList<>();
        for (int i = 0; i < unexpected.size(); i++) {
            if (unexpectedAt.get(i) < failuresExpectedFrom) {
                beforeCut.add(unexpected.get(i));
            }
        }
        assertTrue(beforeCut.isEmpty(), "unexpected replies on the flushed queue: " + beforeCut);
        List<ItemId> withSet = new ArrayList<>(sinceFlush);
        if (setUnanswered != null) {
            withSet.add(setUnanswered);
        }
        boolean ok = drained.equals(sinceFlush) || drained.equals(withSet) || (flushUnanswered && drained.isEmpty());
        assertTrue(ok, "the flushed queue holds " + drained.size() + " items " + head(drained) + ", expected the "
                + sinceFlush.size() + " stored since the last flush " + head(sinceFlush)
                + (setUnanswered != null ? " (and maybe " + setUnanswered + ")" : "")
                + (flushUnanswered ? " or none (a flush was unanswered)" : ""));
    }

    synchronized String summary(List<ItemId> drained) {
        return String.format("flushes %d, %d items since the last, drained %d", flushes, sinceFlush.size(), drained.size());
    }

    synchronized int flushes() {
        return flushes;
    }

    private static String head(List<ItemId> ids) {
        return ids.size() <= 6 ? ids.toString() : ids.subList(0, 3) + "..." + ids.subList(ids.size() - 3, ids.size());
    }
}

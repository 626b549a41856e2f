package io.darner.crash;

import io.darner.testing.ItemId;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the server told the clients of one kill cycle, and the check of what it holds after the
 * restart against that (spec section 8: a killed process never loses an acknowledged or
 * unconfirmed item and never redelivers a confirmed one).
 */
final class Ledger {
    private static final Comparator<ItemId> BY_PRODUCER_ORDER =
            Comparator.comparingInt(ItemId::producer).thenComparingInt(ItemId::n);

    private final Set<ItemId> stored = ConcurrentHashMap.newKeySet();
    private final Set<ItemId> opened = ConcurrentHashMap.newKeySet();
    /** Close sent, answer not seen: confirmed or not, both are allowed. */
    private final Set<ItemId> uncertain = ConcurrentHashMap.newKeySet();
    private final Set<ItemId> confirmed = ConcurrentHashMap.newKeySet();
    private final Collection<String> unexpected = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger aborts = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger delayedAborts = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger delayedSets = new java.util.concurrent.atomic.AtomicInteger();
    /** When each item was acknowledged ({@link System#nanoTime()}). */
    private final Map<ItemId, Long> storedAt = new ConcurrentHashMap<>();
    /** Items acknowledged after an fsync ({@code /sync}, or the queue syncs always). */
    private final Set<ItemId> synced = ConcurrentHashMap.newKeySet();
    /**
     * When the last request acknowledged after an fsync was sent, in this ledger or any sharing it:
     * every item acknowledged before that is durable.
     */
    private final java.util.concurrent.atomic.AtomicLong lastDurableSend;
    /** Whether the queue syncs always: every set acknowledged was fsynced. */
    private final boolean queueSyncs;
    private final Map<String, Long> unexpectedAt = new ConcurrentHashMap<>();
    /** From this moment on ({@link System#currentTimeMillis()}) failures are the power cut's doing. */
    private volatile long failuresExpectedFrom = Long.MAX_VALUE;

    Ledger() {
        this(new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE), false);
    }

    /** A ledger that shares with others the moment of the last durable request; of a queue that syncs always or not. */
    Ledger(java.util.concurrent.atomic.AtomicLong lastDurableSend, boolean queueSyncs) {
        this.lastDurableSend = lastDurableSend;
        this.queueSyncs = queueSyncs;
    }

    void stored(ItemId id) {
        stored.add(id);
    }

    /** The item just stored was a delayed set (checked as any other: stored, so never lost). */
    void storedDelayed() {
        delayedSets.incrementAndGet();
    }

    /** An item acknowledged, after an fsync if {@code synced}, whose set was sent at {@code sentNanos}. */
    void stored(ItemId id, boolean synced, long sentNanos) {
        storedAt.put(id, System.nanoTime());
        if (synced || queueSyncs) {
            this.synced.add(id);
            lastDurableSend.accumulateAndGet(sentNanos, Math::max);
        }
        stored.add(id);
    }

    void opened(ItemId id) {
        opened.add(id);
    }

    void closeSent(ItemId id) {
        uncertain.add(id);
    }

    void closeAnswered(ItemId id) {
        confirmed.add(id);
        uncertain.remove(id);
    }

    /**
     * An open read was aborted, {@code delayed} to come back later: the item is an item again, or
     * will be (nothing to check but that it is not lost).
     */
    void aborted(boolean delayed) {
        aborts.incrementAndGet();
        if (delayed) {
            delayedAborts.incrementAndGet();
        }
    }

    /** A reply or failure that a live server must not give. */
    void unexpected(String what) {
        long now = System.currentTimeMillis();
        if (now < failuresExpectedFrom) {
            unexpected.add(what);
            unexpectedAt.put(what, now);
        }
    }

    /** The power was cut at {@code millis}: what went wrong from then on was expected. */
    void failuresExpectedFrom(long millis) {
        failuresExpectedFrom = millis;
    }

    /** The unexpected replies from before the power cut, if any (checked once the clients have ended). */
    private List<String> unexpectedBeforeCut() {
        return unexpected.stream().filter(what -> unexpectedAt.getOrDefault(what, 0L) < failuresExpectedFrom).toList();
    }

    /** Checks the items drained from the restarted server, in the order they came. */
    void verify(List<ItemId> drained) {
        assertTrue(unexpectedBeforeCut().isEmpty(), "unexpected replies before the kill: " + first(unexpectedBeforeCut()));
        Set<ItemId> present = new HashSet<>();
        List<ItemId> twice = drained.stream().filter(id -> !present.add(id)).toList();
        assertTrue(twice.isEmpty(), "delivered twice after the restart: " + first(twice));
        List<ItemId> redelivered = drained.stream().filter(confirmed::contains).toList();
        assertTrue(redelivered.isEmpty(), "confirmed, yet delivered again: " + first(redelivered));
        List<ItemId> lost = stored.stream()
                .filter(id -> !confirmed.contains(id) && !uncertain.contains(id) && !present.contains(id))
                .sorted(BY_PRODUCER_ORDER).toList();
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged and unconfirmed items lost: " + first(lost));
        assertProducerOrder(drained);
    }

    /** What a power cut took from a queue that does not sync always. */
    record Loss(int lost, int confirmedBack, long oldestLostMs) {
    }

    /**
     * Checks the items drained after a power cut from a queue that does not sync always: every
     * value exact (checked as drained), none twice; none lost that was acknowledged after an fsync
     * ({@code /sync}), or before a request that was acknowledged after one was sent (the fsync
     * covered it); what was lost is the end of each producer's items (no item lost while a later one
     * of its producer survived: a write is lost only with every write after it); with a sync
     * period, nothing lost that was acknowledged more than {@code periodMs + slackMs} before the cut.
     * Confirmed items may come back. Returns what was lost.
     */
    Loss verifyAfterPowerLoss(List<ItemId> drained, long cutNanos, long periodMs, long slackMs) {
        assertTrue(unexpectedBeforeCut().isEmpty(), "unexpected replies before the power cut: "
                + first(unexpectedBeforeCut()));
        Set<ItemId> present = new HashSet<>();
        List<ItemId> twice = drained.stream().filter(id -> !present.add(id)).toList();
        assertTrue(twice.isEmpty(), "delivered twice after the power cut: " + first(twice));
        int back = (int) drained.stream().filter(confirmed::contains).count();
        List<ItemId> lost = stored.stream()
                .filter(id -> !confirmed.contains(id) && !uncertain.contains(id) && !present.contains(id))
                .sorted(BY_PRODUCER_ORDER).toList();
        List<ItemId> syncedLost = lost.stream().filter(synced::contains).toList();
        assertTrue(syncedLost.isEmpty(), "acknowledged after an fsync (/sync), yet lost: " + first(syncedLost));
        long durableUpTo = lastDurableSend.get();
        List<ItemId> coveredLost = lost.stream().filter(id -> storedAt.get(id) < durableUpTo).toList();
        assertTrue(coveredLost.isEmpty(), "acknowledged before a request that was acknowledged after an fsync was "
                + "sent, yet lost: " + first(coveredLost));
        Map<Integer, Integer> lastPresent = new HashMap<>();
        present.forEach(id -> lastPresent.merge(id.producer(), id.n(), Math::max));
        List<ItemId> holes = lost.stream().filter(id -> lastPresent.getOrDefault(id.producer(), -1) > id.n()).toList();
        assertTrue(holes.isEmpty(), "lost, although a later item of the same producer survived: " + first(holes));
        long oldestLostMs = lost.stream().mapToLong(id -> cutNanos - storedAt.get(id)).max().orElse(0) / 1_000_000;
        if (periodMs > 0 && oldestLostMs > periodMs + slackMs) {
            fail("with sync every " + periodMs + " ms, an item acknowledged " + oldestLostMs
                    + " ms before the power cut was lost: " + first(lost));
        }
        return new Loss(lost.size(), back, oldestLostMs);
    }

    /** Items never opened keep the order their producer stored them in (open ones went back to the head). */
    private void assertProducerOrder(List<ItemId> drained) {
        Map<Integer, ItemId> lastOfProducer = new HashMap<>();
        for (ItemId id : drained) {
            if (opened.contains(id)) {
                continue;
            }
            ItemId last = lastOfProducer.put(id.producer(), id);
            if (last != null && last.n() >= id.n()) {
                fail("out of producer order after the restart: " + last + " before " + id);
            }
        }
    }

    String summary(List<ItemId> drained) {
        long large = stored.stream().filter(ItemId::isLarge).count();
        return String.format("stored %d (%d large, %d delayed), confirmed %d, aborted %d (%d with a delay), uncertain %d, "
                + "open at the kill or aborted %d, drained %d", stored.size(), large, delayedSets.get(), confirmed.size(),
                aborts.get(), delayedAborts.get(), uncertain.size(), opened.size() - confirmed.size() - uncertain.size(),
                drained.size());
    }

    int storedCount() {
        return stored.size();
    }

    int confirmedCount() {
        return confirmed.size();
    }

    private static String first(Collection<?> items) {
        return items.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", ", "[",
                items.size() > 10 ? ", ... " + items.size() + " in all]" : "]"));
    }
}

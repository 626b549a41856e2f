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

    void stored(ItemId id) {
        stored.add(id);
    }

    /** The item just stored was a delayed set (checked as any other: stored, so never lost). */
    void storedDelayed() {
        delayedSets.incrementAndGet();
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
        unexpected.add(what);
    }

    /** Checks the items drained from the restarted server, in the order they came. */
    void verify(List<ItemId> drained) {
        assertTrue(unexpected.isEmpty(), "unexpected replies before the kill: " + first(unexpected));
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

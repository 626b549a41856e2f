package io.darner.fleet;

import io.darner.testing.ItemId;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the fleet told its producers and consumers, and the check of it: every acknowledged item
 * was delivered at least once, and an item was delivered more than once only for a reason a kill
 * gives. Those reasons are two: the item was open (handed out, not yet confirmed) on a connection
 * the kill broke, so it went back to its queue; or its set was sent to the killed server and the
 * reply never came, so the producer, not knowing whether it was stored, stored it on another server.
 */
final class FleetLedger {
    private static final Comparator<ItemId> BY_PRODUCER_ORDER =
            Comparator.comparingInt(ItemId::producer).thenComparingInt(ItemId::n);

    private final Map<ItemId, Integer> acknowledgedBy = new ConcurrentHashMap<>();
    private final Set<ItemId> setInDoubt = ConcurrentHashMap.newKeySet();
    private final Set<ItemId> openAtKill = ConcurrentHashMap.newKeySet();
    private final Map<ItemId, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final LongAdder refusals = new LongAdder();
    private final Collection<String> unexpected = new ConcurrentLinkedQueue<>();

    void acknowledged(ItemId id, int server) {
        acknowledgedBy.put(id, server);
    }

    /** A set sent to a server that was killed before it answered: stored there or not. */
    void setInDoubt(ItemId id) {
        setInDoubt.add(id);
    }

    /** A set a live server refused (readonly): the producer goes on to the next server. */
    void refused() {
        refusals.increment();
    }

    void delivered(ItemId id) {
        deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    /** An item open on a connection that the kill of its server broke: it is in its queue again. */
    void openAtKill(ItemId id) {
        openAtKill.add(id);
    }

    /** A reply or failure that no kill explains. */
    void unexpected(String what) {
        unexpected.add(what);
    }

    /** Whether every acknowledged item was delivered (the consumers may stop once the servers are empty too). */
    boolean allDelivered() {
        return deliveries.keySet().containsAll(acknowledgedBy.keySet());
    }

    int deliveries(ItemId id) {
        AtomicInteger count = deliveries.get(id);
        return count == null ? 0 : count.get();
    }

    long acknowledged() {
        return acknowledgedBy.size();
    }

    long acknowledgedOn(int server) {
        return acknowledgedBy.values().stream().filter(s -> s == server).count();
    }

    long refusals() {
        return refusals.sum();
    }

    void verify() {
        assertTrue(unexpected.isEmpty(), unexpected.size() + " unexpected replies or failures: " + first(unexpected));
        List<ItemId> lost = acknowledgedBy.keySet().stream().filter(id -> !deliveries.containsKey(id)).toList();
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged items never delivered: " + first(lost));
        List<ItemId> unexplained = duplicates().stream()
                .filter(id -> !openAtKill.contains(id) && !setInDoubt.contains(id)).toList();
        assertTrue(unexplained.isEmpty(), "delivered more than once, and neither open at the kill nor in doubt: "
                + first(unexplained));
        List<ItemId> phantoms = deliveries.keySet().stream()
                .filter(id -> !acknowledgedBy.containsKey(id) && !setInDoubt.contains(id)).toList();
        assertTrue(phantoms.isEmpty(), "delivered, yet never stored: " + first(phantoms));
    }

    String summary() {
        return String.format("acknowledged %d (%d refusals skipped, %d sets in doubt), delivered %d distinct, "
                        + "%d duplicates (%d items open at the kill)",
                acknowledgedBy.size(), refusals(), setInDoubt.size(), deliveries.size(), duplicates().size(),
                openAtKill.size());
    }

    private List<ItemId> duplicates() {
        return deliveries.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey)
                .sorted(BY_PRODUCER_ORDER).toList();
    }

    private static String first(Collection<?> items) {
        return items.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", ", "[",
                items.size() > 10 ? ", ... " + items.size() + " in all]" : "]"));
    }
}

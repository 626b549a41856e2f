package io.darner.queue;

import io.darner.protocol.QueueNames;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/** Which fanout children ({@code a+b}) each parent {@code a} has, kept as queues come and go. */
final class FanoutChildren {
    private final Map<String, ConcurrentSkipListSet<String>> byParent = new ConcurrentHashMap<>();

    void added(String queue) {
        String parent = QueueNames.parentOf(queue);
        if (parent != null) {
            byParent.computeIfAbsent(parent, p -> new ConcurrentSkipListSet<>()).add(queue);
        }
    }

    void removed(String queue) {
        String parent = QueueNames.parentOf(queue);
        if (parent != null) {
            byParent.computeIfPresent(parent, (p, set) -> {
                set.remove(queue);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** The parent's children, sorted by name. */
    List<String> of(String parent) {
        ConcurrentSkipListSet<String> set = byParent.get(parent);
        return set == null ? List.of() : List.copyOf(set);
    }
}

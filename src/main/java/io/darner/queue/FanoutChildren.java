package io.darner.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Fanout: a queue named {@code a+b} is a child of {@code a}, and a set on {@code a} is copied to
 * every child. Keeps which children each parent has as queues come and go.
 */
final class FanoutChildren {
    private final Map<String, ConcurrentSkipListSet<String>> byParent = new ConcurrentHashMap<>();

    /** The parent of a fanout child {@code a+b}, or null for a plain name. */
    static String parentOf(String name) {
        int plus = name.indexOf('+');
        return plus < 0 ? null : name.substring(0, plus);
    }

    void added(String queue) {
        String parent = parentOf(queue);
        if (parent != null) {
            byParent.computeIfAbsent(parent, p -> new ConcurrentSkipListSet<>()).add(queue);
        }
    }

    void removed(String queue) {
        String parent = parentOf(queue);
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
